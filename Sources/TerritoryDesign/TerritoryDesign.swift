// The library product: one import for tools that use Territory as a library.
@_exported import MILP
@_exported import TerritoryCore
@_exported import TerritoryEvaluation
@_exported import TerritoryIO
@_exported import TerritoryHeuristics
@_exported import TerritorySolving
@_exported import TerritoryBenchmarking
@_exported import TerritoryMIP
@_exported import TerritoryPlanning
@_exported import TerritoryReports
