#!/usr/bin/env python3
"""Cube splitting for one KS-k4 case of scripts/ks-k4-exact.c (dev tooling only, not part of the package).

A cube is the case plus a list of literals, each `+COUNTY:L` (district L holds COUNTY) or `-COUNTY:L`
(it does not). The driver runs a cube with `--forced` for at most --cube-seconds of CPU; a cube that
ends is logged ("none" proves it has no plan, PLAN ends the case). A cube that runs out of time is
split on the most populous county next to D's decided units (its root, the cube's literals, the facts
`--forced` printed) that D may still hold and that nothing decides yet (else the most populous such
county anywhere): its two children add `+COUNTY:D` and `-COUNTY:D`. The
facts a cube derived are passed to its children as --in/--out options (they hold in every plan of the
cube), so the children only ask the questions left open.

The case has no plan when every leaf of the split tree is logged "none". Results go to
scripts/ks-k4-cubes.log, one line per finished cube or split, so the tree persists across sessions:
a rerun skips cubes logged "none" (or lying under one) and follows the logged splits.

With --lookahead N the split county is chosen by probing: for each of the N first candidates (next
to D's decided units first, most populous first), `--forced` alone (NODE_LIMIT 1) runs on both
halves, and the county whose halves derive the most new facts wins (the product of new facts + 1
per half, as SAT lookahead solvers score); a half that `--forced` closes is logged "none" at once.
Below a split whose lookahead found no new fact at all (every score 0/0), only --blind-lookahead
candidates (default 2) are probed. The children inherit their half's facts. --split-first splits
the starting cube without running it (for a cube already known to outlast --cube-seconds). Every
run keeps the regions in which D could not be formed (its nogoods) in a file, and a cube's run
starts with its ancestors' files ($KS_NOGOODS, default /tmp/ks-k4-nogoods). A run stopped by a signal
also leaves its position there (HASH.pos); a later run of the same cube with the same facts (e.g. the
driver restarted with that cube's --literal options) skips what the stopped run finished. To stop a
long run for good: kill the driver (SIGKILL, so it logs nothing), then SIGTERM its ks-k4-exact.

With --estimate-split NODES, each cube first gets Knuth's estimate of its first-level tree
(--estimate-probes probes, default 300, after --forced, whose facts the run then starts from): above
NODES branching nodes it is split at once, so that no --cube-seconds are spent on a tree its children
search again; otherwise it runs. With a large --cube-seconds this runs the small cubes to the end.

Usage: scripts/ks-k4-cubes.py ROOT [--lanes 2] [--cube-seconds 600] [--tol 0.05] [--max-cubes N]
                              [--lookahead N] [--blind-lookahead N] [--split-first] [--status]
                              [--estimate-split NODES [--estimate-probes P]]
                              [--literal +COUNTY:L | --literal=-COUNTY:L ...] [-- extra ks-k4-exact options]
"""
import argparse, hashlib, os, re, resource, subprocess, sys, threading, time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
LOG = os.path.join(HERE, "ks-k4-cubes.log")
# Each run writes its failed regions (--nogoods-out) here, and a cube starts with its ancestors'
# (--nogoods-in): an optimisation only (ks-k4-exact takes a block only when its required units are
# all required in the cube), so the directory may be lost between sessions.
NOGOODS = os.environ.get("KS_NOGOODS", "/tmp/ks-k4-nogoods")
FACT = re.compile(r"^  (\S+) (must|cannot) be in district ([A-D])")


def key(root, tol, lits):
    return f"{root} {tol} [{' '.join(lits)}]"


def read_log():
    done, splits, blind = {}, {}, set()
    if os.path.exists(LOG):
        for line in open(LOG):
            m = re.match(r"^(\S+ \S+ \[[^\]]*\]) (none|PLAN|split) ?(\S*)", line)
            if not m:
                continue
            if m.group(2) == "split":
                splits[m.group(1)] = m.group(3)
                if is_blind(line):
                    blind.add(m.group(1))
            else:
                done[m.group(1)] = m.group(2)
    return done, splits, blind


def is_blind(line):
    """Did a split's lookahead find nothing: no new fact on either half of any candidate, none closed?"""
    m = re.search(r"; lookahead (.*)\)\s*$", line)
    if not m:
        return False
    scores = re.findall(r"(\d+)/(\d+)( closes)?", m.group(1))
    return bool(scores) and all(p == "0" and q == "0" and not c for p, q, c in scores)


def under_none(k, lits, done):
    """Is the cube (or an ancestor of it: a subset of its literals) logged "none"?"""
    case = k.split(" [")[0]
    return any(set(lits_of(dk)) <= set(lits) and v == "none" and dk.split(" [")[0] == case for dk, v in done.items())


def cube_opts(lits, facts):
    """ks-k4-exact options for a cube's literals and the facts derived above it."""
    opts = []
    for l in lits:
        opts += ["--in" if l[0] == "+" else "--out", l[1:]]
    for c, kind, d in facts:
        opts += ["--in" if kind == "must" else "--out", f"{c}:{d}"]
    return opts


def nogoods_file(k):
    return os.path.join(NOGOODS, hashlib.sha1(k.encode()).hexdigest()[:16] + ".ng")


def position_file(k):
    """Where a stopped run of cube k leaves its position (--position-out), beside its nogoods."""
    return nogoods_file(k)[:-3] + ".pos"


def facts_in(stderr):
    """The facts ks-k4-exact's --forced printed: (county, "must" or "cannot", district letter)."""
    return [m.groups() for m in map(FACT.match, stderr.splitlines()) if m]


def nogood_opts(root, tol, lits):
    """--nogoods-out for the cube, --nogoods-in for each ancestor that left a file (the nearest last) and
    for the cube's own file (left by a run of it that was stopped); --position-out for the cube, and
    --resume-from when a stopped run of it left its position there."""
    opts = []
    for j in range(len(lits) + 1):
        f = nogoods_file(key(root, tol, lits[:j]))
        if os.path.exists(f):
            opts += ["--nogoods-in", f]
    pos = position_file(key(root, tol, lits))
    if os.path.exists(pos):
        opts += ["--resume-from", pos]
    return opts + ["--nogoods-out", nogoods_file(key(root, tol, lits)), "--position-out", pos]


def lits_of(k):
    inner = k[k.index("[") + 1:k.rindex("]")]
    return inner.split() if inner else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--lanes", type=int, default=2)
    ap.add_argument("--cube-seconds", type=float, default=600)
    ap.add_argument("--tol", default="0.05")
    ap.add_argument("--max-cubes", type=int, default=1000)
    ap.add_argument("--literal", action="append", default=[])
    ap.add_argument("--lookahead", type=int, default=0,
                    help="probe this many split candidates with --forced alone and pick the one deriving the most facts")
    ap.add_argument("--blind-lookahead", type=int, default=2,
                    help="below a split whose lookahead found no new fact at all, probe only this many candidates")
    ap.add_argument("--split-first", action="store_true", help="split the starting cube without running it")
    ap.add_argument("--estimate-split", type=float, default=0,
                    help="before running a cube, estimate its first-level tree (Knuth, --estimate-probes probes); "
                         "split it at once when the estimate exceeds this many branching nodes (0: never)")
    ap.add_argument("--estimate-probes", type=int, default=300)
    ap.add_argument("--status", action="store_true", help="print the open leaves below the starting cube and exit")
    ap.add_argument("--bin", default=os.environ.get("KS_EXACT", "/tmp/ks-k4-exact"))
    ap.add_argument("--graph", default=os.environ.get("KS_GRAPH", "/tmp/ks.txt"))
    argv = sys.argv[1:]; extra = []
    if "--" in argv:  # everything after -- goes to ks-k4-exact as it stands
        extra = argv[argv.index("--") + 1:]; argv = argv[:argv.index("--")]
    a = ap.parse_args(argv); a.extra = extra
    if not os.path.exists(a.bin):
        subprocess.check_call(["cc", "-O2", "-o", a.bin, os.path.join(HERE, "ks-k4-exact.c"), "-lm"])
    if not os.path.exists(a.graph):
        with open(a.graph, "w") as g:
            subprocess.check_call([sys.executable, os.path.join(HERE, "ks-k4-graph.py"),
                                   os.path.join(HERE, "..", "datasets", "districting-us-county", "county20.json")], stdout=g)
    # counties: name -> population; D may hold only counties lighter than its root
    with open(a.graph) as g:
        tok = g.read().split()
    n = int(tok[0]); pos = 1; popu = {}; nbIdx = []; names = []
    for _ in range(n):
        p = float(tok[pos]); d = int(tok[pos + 2]); nbIdx.append([int(x) for x in tok[pos + 3:pos + 3 + d]])
        name = tok[pos + 3 + d]; pos += 4 + d; popu[name] = p; names.append(name)
    adj = {names[i]: {names[j] for j in nbIdx[i]} for i in range(n)}
    roots = {"Johnson", "Sedgwick", "Wyandotte", a.root}
    candidates = sorted((c for c in popu if popu[c] < popu[a.root] and c not in roots), key=lambda c: -popu[c])

    if a.status:  # the split tree below the starting cube, from the log: open leaves and proven ones
        done, splits, _ = read_log()
        def walk(lits):
            k = key(a.root, a.tol, lits)
            if under_none(k, lits, done):
                return 1, 0
            if k in splits:
                c = splits[k]; p1, o1 = walk(lits + ["+" + c]); p2, o2 = walk(lits + ["-" + c])
                return p1 + p2, o1 + o2
            print("open:", k)
            return 0, 1
        proven, open_ = walk(list(a.literal))
        print(f"{proven} leaves proven empty, {open_} open")
        return
    base = ["--forced", "--forced-limit", "100000", "--dense", "D", "--dense-bucket", "0.0002", "--grow-nogoods"]
    lock = threading.Lock()
    inherited = {}  # cube (tuple of literals) -> facts its parent derived
    queue = [list(a.literal)]
    busy = [0]; started = [0]; planFound = [False]

    def forced_d(lits, facts):
        """Counties D must hold: a +COUNTY:D literal, a "must be in D" fact, or a ban from A, B and C."""
        out = {l[1:].split(":")[0] for l in lits if l[0] == "+" and l.endswith(":D")}
        out |= {c for c, kind, d in facts if kind == "must" and d == "D"}
        bans = {}
        for l in lits:
            if l[0] == "-":
                c, d = l[1:].split(":"); bans.setdefault(c, set()).add(d)
        for c, kind, d in facts:
            if kind == "cannot":
                bans.setdefault(c, set()).add(d)
        return out | {c for c, ds in bans.items() if {"A", "B", "C"} <= ds}

    def decided(lits, facts):
        """Counties whose D membership is known: a literal or fact about D, a unit placed elsewhere, or one D must hold."""
        return forced_d(lits, facts) | {l[1:].split(":")[0] for l in lits if l.endswith(":D") or l[0] == "+"} \
            | {c for c, kind, d in facts if d == "D" or kind == "must"}

    def log(line):
        with lock:
            with open(LOG, "a") as f:
                f.write(line + "\n")

    def run(lits):
        k = key(a.root, a.tol, lits)
        done, splits, blind = read_log()
        parentBlind = bool(lits) and key(a.root, a.tol, lits[:-1]) in blind
        if under_none(k, lits, done):
            return []
        if k in splits:
            c = splits[k]
            return [lits + ["+" + c], lits + ["-" + c]]
        facts = inherited.get(tuple(lits), [])  # derived by ancestors: they hold in the whole subtree
        opts = cube_opts(lits, facts)
        if a.split_first and lits == list(a.literal):
            # the caller knows this cube outlasts --cube-seconds: split it at once, after deriving
            # its own facts (so the lookahead counts only what each half adds)
            closed, first, own = probe(lits, facts, None)
            if closed:  # --forced alone settles it
                log(f"{k} none  ({first.split(': none', 1)[1].strip()}; --split-first probe, NODE_LIMIT 1)")
                return []
            return split(k, lits, facts + own, "split without a run (--split-first)", parentBlind)
        os.makedirs(NOGOODS, exist_ok=True)
        estNote = ""
        if a.estimate_split > 0:
            # Knuth's estimate of the first level (it runs --forced first, so it also derives the
            # cube's facts): a cube far beyond the threshold is split at once instead of spending
            # --cube-seconds that its children would repeat
            ecmd = [a.bin, a.graph, a.tol, a.root, "ADBC"] + base + a.extra + opts + ["--estimate", str(a.estimate_probes)]
            e = subprocess.run(ecmd, capture_output=True, text=True)
            efirst = e.stdout.splitlines()[0] if e.stdout.strip() else ""
            if ": none" in efirst:  # --forced alone settles it
                log(f"{k} none  ({efirst.split(': none', 1)[1].strip()}; --forced before the estimate)")
                return []
            m = re.search(r"first level ~(\S+) branching nodes", efirst)
            own = [f for f in facts_in(e.stderr) if f not in facts]
            if m:
                est = float(m.group(1)); estNote = f"; estimate {est:.3g} branching nodes"
                facts = facts + own; opts = cube_opts(lits, facts)
                if est > a.estimate_split:
                    return split(k, lits, facts, f"split without a run: Knuth estimate {est:.3g} > {a.estimate_split:.3g} branching nodes", parentBlind)
        cmd = [a.bin, a.graph, a.tol, a.root, "ADBC"] + base + a.extra + opts + nogood_opts(a.root, a.tol, lits)
        startTime = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        t0 = time.time()
        limit = int(a.cube_seconds)  # CPU seconds: the kernel stops the search, whatever else shares the cores
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5)))
        out, err = p.communicate()
        allFacts = facts + [f for f in facts_in(err) if f not in facts]
        first = out.splitlines()[0] if out.strip() else ""
        wall = time.time() - t0
        if ": none" in first:
            log(f"{k} none  ({first.split(': none', 1)[1].strip()}; wall {wall:.0f}s; {len(allFacts)} facts; started {startTime}{estNote})")
            return []
        if "PLAN" in first:
            log(f"{k} PLAN  ({first.split(': ', 1)[1]})")
            for line in out.splitlines()[1:]:
                log("    " + line)
            planFound[0] = True
            return []
        return split(k, lits, allFacts, f"stopped after {wall:.0f}s wall; started {startTime}{estNote}", parentBlind)

    def probe(lits, facts, lit):
        """--forced alone (NODE_LIMIT 1) on the cube plus one literal: (closed, facts it derives)."""
        cmd = [a.bin, a.graph, a.tol, a.root, "ADBC", "1"] + base + a.extra + cube_opts(lits + ([lit] if lit else []), facts)
        p = subprocess.run(cmd, capture_output=True, text=True)
        first = p.stdout.splitlines()[0] if p.stdout.strip() else ""
        return ": none" in first, first, [f for f in facts_in(p.stderr) if f not in facts]

    def split(k, lits, allFacts, why, parentBlind):
        dec = decided(lits, allFacts)  # includes the counties banned from D
        # the most populous open county next to what D already holds (its root and the counties
        # forced_d finds): these decide D's shape; else the most populous open one
        core = {a.root} | forced_d(lits, allFacts)
        near = set().union(*(adj[c] for c in core))
        open_ = [c for c in candidates if c not in dec]
        pick = next((c for c in open_ if c in near), open_[0] if open_ else None)
        if pick is None:
            log(f"{k} LIMIT  (no county left to split on; {why})")
            return []
        kidFacts = {"+": allFacts, "-": allFacts}
        note = ""
        # below a split whose lookahead found no new fact for any candidate, probing them all again
        # mostly costs time (8 candidates: 16 runs of --forced, 30-50 CPU-s each on Riley's cubes)
        width = min(a.lookahead, a.blind_lookahead) if parentBlind else a.lookahead
        if width > 0:
            # lookahead: the county whose two halves let --forced derive the most new facts (product
            # of (new facts + 1), as in SAT lookahead solvers); a half --forced closes wins outright
            shortlist = ([c for c in open_ if c in near] + [c for c in open_ if c not in near])[:width]
            jobs = [(c, s) for c in shortlist for s in "+-"]
            with ThreadPoolExecutor(max_workers=a.lanes) as ex:
                res = dict(zip(jobs, ex.map(lambda j: probe(lits, allFacts, j[1] + j[0] + ":D"), jobs)))
            def score(c):
                (cp, _, fp), (cm, _, fm) = res[(c, "+")], res[(c, "-")]
                return (cp or cm, (len(fp) + 1) * (len(fm) + 1), len(fp) + len(fm))
            pick = max(shortlist, key=score)
            note = "; lookahead " + ", ".join(f"{c} {len(res[(c, '+')][2])}/{len(res[(c, '-')][2])}"
                                               + ("" if not (res[(c, '+')][0] or res[(c, '-')][0]) else " closes")
                                               for c in shortlist)
            for s_ in "+-":
                closed, first, new = res[(pick, s_)]
                kidFacts[s_] = allFacts + new
                if closed:
                    kk = key(a.root, a.tol, lits + [s_ + pick + ":D"])
                    log(f"{kk} none  ({first.split(': none', 1)[1].strip()}; lookahead probe, NODE_LIMIT 1)")
        log(f"{k} split {pick}:D  ({why}; {len(allFacts)} facts{note})")
        kids = [lits + ["+" + pick + ":D"], lits + ["-" + pick + ":D"]]
        for kid, s_ in zip(kids, "+-"):
            inherited[tuple(kid)] = kidFacts[s_]
        return kids

    def worker():
        while True:
            with lock:
                if planFound[0] or started[0] >= a.max_cubes:
                    return
                if not queue:
                    if busy[0] == 0:
                        return
                    item = None
                else:
                    item = queue.pop(0); busy[0] += 1; started[0] += 1
            if item is None:
                time.sleep(1); continue
            kids = run(item)
            with lock:
                queue[0:0] = kids  # depth first: finish a subtree before the next
                busy[0] -= 1

    ts = [threading.Thread(target=worker) for _ in range(a.lanes)]
    for t in ts: t.start()
    for t in ts: t.join()
    print("PLAN found" if planFound[0] else ("queue empty" if not queue else f"stopped with {len(queue)} cubes queued"))


if __name__ == "__main__":
    main()
