#!/usr/bin/env python3
"""Writes the Kansas county graph in the plain text form that ks-k4-exact.c reads (dev tooling only).

Usage: python3 scripts/ks-k4-graph.py datasets/districting-us-county/county20.json > ks.txt
One line per county: population, land area, neighbour count, neighbour indices, name.
"""
import json
import sys

data = json.load(open(sys.argv[1]))
nodes = data['nodes']
index = {node['id']: i for i, node in enumerate(nodes)}
print(len(nodes))
for i, node in enumerate(nodes):
    neighbours = sorted({index[a['id']] for a in data['adjacency'][i] if index[a['id']] != i})
    print(node['TOTPOP'], node['ALAND10'], len(neighbours), *neighbours, node['NAME10'].replace(' ', '_'))
