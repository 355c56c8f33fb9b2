// Exact search for KS-k4 (Kansas, k = 4, population and land area within +-tol, contiguous).
// Dev tooling only: not part of the package, and it does not replace the product's solvers.
//
// Build and run:
//   python3 scripts/ks-k4-graph.py datasets/districting-us-county/county20.json > ks.txt
//   cc -O2 -o ks-k4-exact scripts/ks-k4-exact.c -lm
//   ./ks-k4-exact ks.txt 0.05 ROOT ORDER [NODE_LIMIT] [--alone LETTERS [--alone-depth N]] [--part I/N] [--estimate PROBES]
//                 [--dense LETTERS] [--sparse LETTERS] [--dense-bucket W] [--alone-level L] [--check-dense N]
//                 [--pair [--pair-first C] [--pair-nodes N] [--pair-limit N]] [--check-pair N] [--check-pair-plan N]
//                 [--forced [--forced-pair] [--forced-limit N]] [--in COUNTY:L] [--out COUNTY:L] [--check-forced] [--check-forced-questions N]
//                 [--short-nodes N] [--check-must N] [--grow-nogoods] [--check-grow N]
//                 [--nogoods-out FILE] [--nogoods-in FILE ...]
// ROOT names the most populous county of district D; ORDER is the order in which the districts are
// enumerated, e.g. ADBC. Prints PLAN with the four districts, "none" (this case has no plan) or
// LIMIT (NODE_LIMIT counts first-level nodes); progress goes to stderr about once a minute.
//   --alone LETTERS  at every node of the first level, also require that each named later district
//                    (e.g. D) can still be formed on its own in what is left: an exact one-district
//                    search, skipped while the last set it found is still untouched.
//   --alone-depth N  only at nodes where at most N units have been decided (included or excluded)
//   --part I/N       search only every N-th subtree (the I-th, 0-based) below depth 14 of the first
//                    level, so N processes with I = 0..N-1 share one case; the case has no plan
//                    only when every part prints "none".
//   --dense LETTERS  like --alone for the named later districts, but each check first runs a short
//                    search (5,000 nodes) for a set, and when that finds none, a frontier dynamic
//                    program over a county sweep decides a one-sided relaxation (a connected set
//                    with the root, at most the land band's top, at least the population band's
//                    bottom); a "no" there prunes, otherwise the exact search runs.
//   --sparse LETTERS the mirror relaxation (land band's bottom within the population band's top)
//                    Every unit the district must hold (--forced, --in) is required by the search's
//                    bounds and by the dynamic program. When the program answers "possible", the set
//                    of one real member of the winning state (the most populous merged into it) is
//                    traced back and, if it is a district, returned as the witness; then a search
//                    from the required units joined by cheapest paths (20,000 nodes); then the
//                    exact search. A region whose check failed is kept (4,096 per district): a later
//                    region inside it fails without a search.
//   --dense-bucket W land bucket of the dynamic program, as a share of the target (default 0.001;
//                    0.0002 refutes far more at about the same cost, README)
//   --short-nodes N  node limit of the short search before the dynamic program (default 1,000)
//   --grow-nogoods   before a region the dynamic program refuted is kept as a failed region, add
//                    back the units it lacks (farthest from the root first, in halving chunks) while
//                    the program still refutes it; later regions inside the larger one fail at once
//   --nogoods-out FILE  write the failed regions (nogoods) to FILE when the run ends or a CPU limit
//                    (SIGXCPU) or SIGTERM stops it (then it prints "stopped by a signal", exit status 4)
//   --position-out FILE  when a signal (SIGXCPU, SIGTERM) stops the search, write where its first
//                    level stood (the branch taken at each branching node above it) and a fingerprint
//                    of the tree (districts' banned and required units, order, tolerance) to FILE
//                    (via FILE.tmp); the file is removed when the search ends
//   --resume-from FILE  skip the first-level subtrees a stopped run with the same fingerprint finished
//                    (a missing file, or one for another tree, means a start from the beginning)
//   --stop-after-nodes N  stop as if signalled once the first level has N nodes (to test the above)
//   --nogoods-in FILE   (repeatable) start with the failed regions of an earlier run of this root and
//                    tolerance whose required units of each district are all required here (a cube
//                    below the one that wrote it); other blocks are skipped
//   --check-grow N   do not search: on N random regions the program refutes, grow the failed region
//                    and run the exact search (with D's required units, 3,000,000 nodes) on it; a
//                    district found there is a bug (exit status 1)
//   --no-pareto      keep the dynamic program's dominated states (to measure the Pareto filter)
//   --alone-level L  run the one-district checks on levels 0..L (default 0)
//   --check-dense N  do not search: on N random regions (D's allowed units minus a random
//                    connected blob around Johnson) compare both relaxations with the exact
//                    one-district search; a relaxation that refutes a region the search solves is
//                    a bug (exit status 1)
//   --dump-candidates FILE  append every 20th of the first 400 complete first-level districts to
//                    FILE (one hexadecimal bitmask of county indices per line), for
//                    scripts/ks-k4-pair.py
//   --pair           at every node of the first level, also require that districts C and D can still
//                    be formed together, disjointly, in what is left (the dense side of the bands for
//                    the first of the two, both bands for the second; see pair_enum). A search of at
//                    most --pair-nodes nodes (default 20,000) per region: a pair it finds stays a
//                    witness while the first level leaves it untouched, an exhausted search prunes,
//                    and past the limit the region counts as possible.
//   --pair-first C   enumerate C first and check D in what it leaves (default: D first)
//   --pair-limit N   node limit of the second district's longer search (default 200,000)
//   --check-pair N   do not search: on N random regions (all units minus a random connected blob
//                    around Johnson), every refutation by the pair check is compared with a brute-force
//                    pair search (every complete D, each with C's exact search); exit status 1 when
//                    brute force finds a pair the check refuted
//   --check-pair-plan N  find a plan first (without the pair check), then run the pair check on N
//                    random connected parts of its first district: a refutation is a bug (exit 1)
//   --forced         before the search, narrow each district's allowed units to a fixpoint with
//                    two one-district questions per unit u and district e (exact search plus the
//                    dense dynamic program): if e cannot be formed without u, u goes to e (banned
//                    from the others, and every later search of e must hold it); if no set of e that
//                    meets both bands holds u, u is banned from e; a unit banned from every district
//                    but one goes to that one. Prints each fact on stderr.
//   --forced-pair    --forced plus a third question: can C and D still be formed together (the --pair
//                    check, in what A's forced units leave) with u kept out of one of them? If not,
//                    u goes to that district
//   --forced-limit N node limit of the second question (default 2,000,000; a question that passes
//                    it decides nothing)
//   --check-must N   do not search: on N random regions, with 1-3 random required units, compare the
//                    search's bound and the dense dynamic program with a plain enumeration; a
//                    refutation the enumeration contradicts is a bug (exit status 1)
//   --check-forced   do not search: find a plan without --forced, then derive the facts; a fact the
//                    plan contradicts is a bug (exit status 1)
//   --check-forced-questions N  do not search: on N random regions (all units minus a random blob
//                    around Johnson, one random district each; regions where it cannot be formed at
//                    all are skipped) ask (1) about the most populous unit of a set found there and
//                    (2) about one of the two units outside it with the most land, and compare the
//                    answers with a plain enumeration (band tops only); a refutation that the
//                    enumeration contradicts is a bug (exit status 1)
//   --in COUNTY:L    search only the plans whose district L holds COUNTY (required like a --forced
//                    unit); --out COUNTY:L only those whose district L does not. Together they split a
//                    case: the case has no plan when both halves print "none". Up to 16 of them.
//   --estimate N     do not search: estimate the size of the first level's tree with N random
//                    root-to-leaf probes (Knuth's estimator; unbiased, heavy-tailed, so use
//                    thousands of probes). Prints the mean and its standard error.
//
// Case split (README, "Contiguous county instances"): A holds Johnson, B Sedgwick, C Wyandotte
// (Johnson and Sedgwick cannot share a district; Wyandotte can join neither), and D is the fourth
// district, whose most populous county is ROOT; every other member of D is lighter than ROOT.
// A run over every possible ROOT therefore covers every plan.
//
// Each level enumerates the connected sets that contain the district's root, each exactly once
// (branch on a frontier vertex: in, or excluded for good), and prunes a partial district S when:
//  - S breaks a band's top;
//  - a component of the unplaced vertices holds no later root (it would have to join S whole:
//    impossible if it holds an excluded vertex, or if S plus it breaks a band), or holds r later
//    roots but less than r band bottoms of population or land;
//  - a later district cannot reach its bands in what S leaves (the same bounds as the next rule);
//  - no vertex set reachable from S (through vertices neither excluded nor beyond the band's top by
//    their cheapest connecting path, population- and land-weighted) can lift S to a band's bottom:
//    fractional knapsacks, sparsest first for land, densest first for population.
// A complete district is accepted when every component of the rest holds at least one later root
// and enough population and land for them; the last district must be the connected rest.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>
#include <signal.h>

#include "ks-sweep.h"
typedef unsigned __int128 M;
#define BIT(i) (((M)1) << (i))
static int n, deg[128], nb[128][16]; static double pop[128], land[128]; static char nm[128][32];
static M nbm[128];
static double P, A, tol, lo, hi;  // relative bands: lo..hi for pop/P and land/A
static int K = 4;
static int droot[4]; static int order[4]; // districts order of enumeration
static M banned[4];  // per district, vertices never allowed
static int byDensAsc[128], byDensDesc[128];
static long long nodes[4], cands[4], leafsOK;
static time_t lastReport;  // progress goes to stderr about once a minute
static long long nodeLimit = 0; static int depth0 = 0; static char path0[256]; static long long totalNodes = 0; static clock_t tstart;
static long long aloneNodes, denseCalls, denseStates, pairCalls, pairPrunes, pairRepeats, nogoodHits;
static volatile sig_atomic_t stopRequested; static void write_nogoods(void); static void write_position(void);
static void maybe_report(void) {  // about once a minute of wall time; ends the run when a signal asked for it
  if (stopRequested) { write_nogoods(); write_position(); printf("stopped by a signal (CPU limit or SIGTERM)\n"); fflush(stdout); exit(4); }
  if (time(0) - lastReport < 60) return;
  lastReport = time(0); double pr = 0, w = 0.5; for (int i = 0; i < depth0 && i < 60; i++, w /= 2) if (path0[i]) pr += w;
  fprintf(stderr, "  ... %.0fs lv0 %lld (%lld cands) lv1 %lld lv2 %lld, one-district checks %lld nodes (%lld answered by an earlier failure), %lld dynamic programs (%lld states), pair checks %lld (%lld pruned, %lld answered by earlier ones), level-0 tree explored ~%.6f\n",
          (double)(clock() - tstart) / CLOCKS_PER_SEC, nodes[0], cands[0], nodes[1], nodes[2], aloneNodes, nogoodHits, denseCalls, denseStates, pairCalls, pairPrunes, pairRepeats, pr);
}
static int popcnt(M m) { return __builtin_popcountll((unsigned long long)m) + __builtin_popcountll((unsigned long long)(m >> 64)); }
static int lowbit(M m) { unsigned long long l = (unsigned long long)m; if (l) return __builtin_ctzll(l); return 64 + __builtin_ctzll((unsigned long long)(m >> 64)); }
static M comp_of(M seed, M allowed) { // BFS closure of seed within allowed
  M c = seed & allowed, fr = c;
  while (fr) { M nf = 0; M t = fr; while (t) { int v = lowbit(t); t &= t - 1; nf |= nbm[v]; } nf &= allowed & ~c; c |= nf; fr = nf; }
  return c;
}
static void sums(M s, double *p, double *l) { double a = 0, b = 0; while (s) { int v = lowbit(s); s &= s - 1; a += pop[v]; b += land[v]; } *p = a; *l = b; }
static M planM[4]; static M allUnitsMask;
// the units of allowed next to S but not in it
static M frontier(M S, M allowed) { M f = 0, t = S; while (t) { int v = lowbit(t); t &= t - 1; f |= nbm[v]; } return f & allowed & ~S; }
// the branching unit: the most populous of a non-empty set (decides most)
static int heaviest(M set) { int best = -1; while (set) { int v = lowbit(set); set &= set - 1; if (best < 0 || pop[v] > pop[best]) best = v; } return best; }
static int solve_level(int lv, M avail);
// remainder check: every component of rest holds enough roots of the districts still to place
static int rest_ok(int lv, M rest) {
  M rootsLeft = 0; int freeLeft = 0;
  for (int j = lv + 1; j < K; j++) { int d = order[j]; if (droot[d] >= 0) rootsLeft |= BIT(droot[d]); else freeLeft++; }
  M left = rest; int rootless = 0;
  while (left) {
    int v = lowbit(left); M c = comp_of(BIT(v), rest); left &= ~c;
    int r = popcnt(c & rootsLeft); double p, l; sums(c, &p, &l);
    if (r == 0) { rootless++; if (rootless > freeLeft) return 0; r = 1; if (p < lo || p > hi || l < lo || l > hi) return 0; continue; }
    if (p < r * lo || l < r * lo) return 0;
    if (p > (r + freeLeft) * hi || l > (r + freeLeft) * hi) return 0;
  }
  return 1;
}

// The fractional knapsacks: can pool lift (ps, ls) to both bottoms without breaking a top?
static int knapsacks_reach(M pool, double ps, double ls) {
  if (ls < lo) { double need = lo - ls, pp = ps; for (int k = 0; k < n && need > 0; k++) { int v = byDensAsc[k]; if (!(pool & BIT(v))) continue; double f = land[v] < need ? 1 : need / land[v]; pp += f * pop[v]; need -= f * land[v]; } if (need > 1e-12 || pp > hi) return 0; }
  if (ps < lo) { double bud = hi - ls, pp = ps; for (int k = 0; k < n && bud > 0; k++) { int v = byDensDesc[k]; if (!(pool & BIT(v))) continue; double f = land[v] < bud ? 1 : bud / land[v]; pp += f * pop[v]; bud -= f * land[v]; } if (pp < lo) return 0; }
  return 1;
}
// Can a connected district grown from S (population ps, land ls) through pool reach both bands'
// bottoms without breaking their tops, holding every unit of `must`? Fractional knapsacks over the
// vertices whose cheapest path from S (population- and land-weighted) stays within the tops, with
// the units of `must` counted as taken (each must also lie within both budgets). Necessary, not
// sufficient: every vertex of a completion T lies on a path inside T from S, which weighs at most
// T minus S, and T minus S minus must lies in the pool left after both passes.
static M firstPassPool; // after each call: the vertices the first (population) pass kept; the bound ignores every other vertex
static int can_complete(M S, M pool, double ps, double ls, M must) {
  firstPassPool = 0;
  if (ps > hi || ls > hi) return 0;
  M need = must & ~S; double psAll = ps, lsAll = ls;  // with the units S still has to take
  if (need) { if (need & ~pool) return 0; double p, l; sums(need, &p, &l); psAll += p; lsAll += l; if (psAll > hi || lsAll > hi) return 0; }
  if (!knapsacks_reach(pool & ~need, psAll, lsAll)) return 0;  // the same bound over the whole pool: most refutations, without the two Dijkstra passes
  double dp[128], dl[128];
  M t = pool; while (t) { int v = lowbit(t); t &= t - 1; dp[v] = 1e9; dl[v] = 1e9; }  // only pool's distances are read
  for (int pass = 0; pass < 2; pass++) {
    double *dd = pass ? dl : dp; const double *w = pass ? land : pop; double budget = pass ? hi - ls : hi - ps;
    // Dijkstra from S (the source, at distance 0) over pool with a binary heap (lazy deletion:
    // a vertex may sit in it several times, only its first pop counts); at most one push per arc
    M done = S; int hn = 0; double hk[128 * 17]; int hv[128 * 17];  // n <= 128, degree <= 16
    #define HPUSH(V, KEY) do { int i_ = hn++; while (i_ > 0 && hk[(i_ - 1) / 2] > (KEY)) { hk[i_] = hk[(i_ - 1) / 2]; hv[i_] = hv[(i_ - 1) / 2]; i_ = (i_ - 1) / 2; } hk[i_] = (KEY); hv[i_] = (V); } while (0)
    { M nbS = 0, t2 = S; while (t2) { int v = lowbit(t2); t2 &= t2 - 1; nbS |= nbm[v]; } nbS &= pool & ~S;
      while (nbS) { int u = lowbit(nbS); nbS &= nbS - 1; if (w[u] <= budget + 1e-12) { dd[u] = w[u]; HPUSH(u, w[u]); } } }
    while (hn) {
      int b = hv[0]; double kb = hk[0];
      double lk = hk[--hn]; int lv = hv[hn]; int i = 0;  // sift the last entry down from the top
      for (;;) { int c = 2 * i + 1; if (c >= hn) break; if (c + 1 < hn && hk[c + 1] < hk[c]) c++; if (hk[c] >= lk) break; hk[i] = hk[c]; hv[i] = hv[c]; i = c; }
      if (hn) { hk[i] = lk; hv[i] = lv; }
      if (done & BIT(b) || kb > dd[b]) continue;
      done |= BIT(b);
      M nbv = nbm[b] & pool & ~done;
      while (nbv) { int u = lowbit(nbv); nbv &= nbv - 1; double c = dd[b] + w[u]; if (c < dd[u] && c <= budget + 1e-12) { dd[u] = c; HPUSH(u, c); } }
    }
    #undef HPUSH
    M keep = done & pool;  // every vertex pushed (so within the budget) was settled
    if (need & ~keep) return 0;  // a unit the set must hold lies beyond a budget
    pool = keep;
    if (pass == 0) firstPassPool = keep;
  }
  return knapsacks_reach(pool & ~need, psAll, lsAll);
}
// Can district e (root r) be formed on its own inside allowed: a connected set containing r that
// meets both bands? Exact (same branching and bounds as a level); on success aloneWitness holds
// the set, which stays a witness for as long as the caller's available units still contain it.
static int forcedMode, checkForced, checkQuestions, checkMust, forcedPair;
static int nCube, cubeIn[256]; static const char *cubeArg[256];  // --in/--out
static int denseMask, sparseMask, checkDense, checkPair, checkPairPlan, aloneLevel;
static const char *dumpFile; static int dumpSeen;
static long long aloneCalls, alonePrunes, aloneFoundNodes, aloneFailNodes;
// The last 16 sets a check found (or regions it left undecided), oldest overwritten first.
typedef struct { M set[16]; int n, next; } SetRing;
static void ring_push(SetRing *r, M s) { r->set[r->next] = s; r->next = (r->next + 1) % 16; if (r->n < 16) r->n++; }
static int ring_within(const SetRing *r, M avail) { for (int k = 0; k < r->n; k++) if (!(r->set[k] & ~avail)) return 1; return 0; }  // a kept set lies inside avail
static int ring_has(const SetRing *r, M s) { for (int k = 0; k < r->n; k++) if (r->set[k] == s) return 1; return 0; }
static M aloneWitness; static SetRing witness[4];  // per district, sets its one-district check found: witnesses while untouched
static int aloneMask, aloneDepth = 1000;
static long long aloneLimit;  // when nonzero, alone() gives up (returns 0) past this node count
static M aloneMust;  // units the set must hold (--forced's questions and its results); 0 normally
static M forcedIn[4];  // per district, the units --forced put in it; every later search requires them
static void force_into(int e, int u) { forcedIn[e] |= BIT(u); for (int f = 0; f < K; f++) if (f != e) banned[f] |= BIT(u); }
static int alone(M allowed, M S, M X, double ps, double ls) {
  aloneNodes++;
  if (aloneLimit && aloneNodes > aloneLimit) return 0;
  if (ps > hi || ls > hi) return 0;
  M reach = comp_of(S, allowed & ~X);
  if (!can_complete(S, reach & ~S, ps, ls, aloneMust)) return 0;  // also: a required unit out of reach
  if (ps >= lo && ls >= lo && !(aloneMust & ~S)) { aloneWitness = S; return 1; }
  M front = frontier(S, allowed & ~X);
  if (!front) return 0;
  int best = heaviest(front);
  if (alone(allowed, S | BIT(best), X, ps + pop[best], ls + land[best])) return 1;
  return alone(allowed, S, X | BIT(best), ps, ls);
}

// --dense: a one-sided relaxation of "district e can be formed on its own in allowed", decided by a
// frontier dynamic program over a fixed sweep of the counties: is there a connected set containing
// the root, inside allowed, with land at most `landCap` and population at least `popNeed`? Sets
// that agree on the sweep's frontier (which frontier counties are in, and which of those are joined)
// and whose land falls into the same bucket are merged, keeping the least land and the most
// population (an optimistic merge, so "no" stays a proof). Returns 0 only when no such set exists.
#define DMAXF 20
static int dOrd[128], dPos[128], dFsz[129], dFr[129][DMAXF], dNewIdx[129][DMAXF], dNbSlot[128][16], dNnb[128];
static long long densePrunes;
static void dense_init(void) {
  int widest = sweep_order(n, deg, (const int (*)[16])nb, -1, dOrd, dPos, dFsz, &dFr[0][0], DMAXF);
  if (widest < 0) { fprintf(stderr, "--dense: the sweep's frontier is wider than %d\n", DMAXF); exit(2); }
  for (int i = 0; i < n; i++) {  // layer i decides dOrd[i]: old frontier dFr[i], new frontier dFr[i + 1]
    int v = dOrd[i];
    for (int k = 0; k < dFsz[i + 1]; k++) { int u = dFr[i + 1][k]; dNewIdx[i][k] = -1; if (u == v) dNewIdx[i][k] = dFsz[i]; else for (int q = 0; q < dFsz[i]; q++) if (dFr[i][q] == u) dNewIdx[i][k] = q; }
    dNnb[i] = 0; for (int j = 0; j < deg[v]; j++) { int u = nb[v][j]; if (dPos[u] < i) for (int q = 0; q < dFsz[i]; q++) if (dFr[i][q] == u) dNbSlot[i][dNnb[i]++] = q; }
  }
}
// land and pop are optimistic (the least land and the most people of the sets merged into the
// state: they decide the relaxation); rland, rpop and trace belong to one real member, the
// representative (the most populous), whose set can be traced back as a candidate district.
typedef struct { unsigned char f[DMAXF]; unsigned char took; int bucket; double land, pop, rland, rpop; long long trace; } DState;
// One entry per state of every layer: the parent's entry and the unit the step took (-1: none).
typedef struct { long long parent; int unit; } DTrace;
static DTrace *dTrace; static size_t dTraceN, dTraceCap;
static void dTracePush(long long parent, int unit) {
  if (dTraceN == dTraceCap) { dTraceCap = dTraceCap ? 2 * dTraceCap : 65536; dTrace = realloc(dTrace, dTraceCap * sizeof *dTrace); if (!dTrace) { fprintf(stderr, "out of memory\n"); exit(3); } }
  dTrace[dTraceN].parent = parent; dTrace[dTraceN].unit = unit; dTraceN++;
}
static DState *dCur, *dNxt; static size_t dCurN, dNxtN, dCurCap, dNxtCap; static int *dTab; static size_t dTabCap;
static double dSufLand[129][129], dSufPop[129][129]; static int dSufN[129];
static double dense_bound(int i, double landLeft) {  // most population the undecided part of allowed adds within landLeft
  int m = dSufN[i]; if (landLeft >= dSufLand[i][m]) return dSufPop[i][m];
  int a = 0, b = m; while (a < b) { int mid = (a + b) / 2; if (dSufLand[i][mid] >= landLeft) b = mid; else a = mid + 1; }
  if (a == 0) return 0;
  double l0 = dSufLand[i][a - 1], l1 = dSufLand[i][a], p0 = dSufPop[i][a - 1], p1 = dSufPop[i][a];
  return p0 + (p1 - p0) * (landLeft - l0) / (l1 - l0);
}
static unsigned long long dHash(const DState *s, int F) { unsigned long long h = 1469598103934665603ull; for (int k = 0; k < F; k++) { h ^= s->f[k]; h *= 1099511628211ull; } h ^= (unsigned)s->bucket; h *= 1099511628211ull; return h ^ (h >> 31); }
static void dInsert(const DState *s, int F) {
  if (2 * (dNxtN + 1) > dTabCap) {
    size_t c = dTabCap ? 2 * dTabCap : 4096; while (c < 4 * (dNxtN + 1)) c *= 2;
    free(dTab); dTab = malloc(c * sizeof *dTab); dTabCap = c; memset(dTab, 0xff, c * sizeof *dTab);
    for (size_t k = 0; k < dNxtN; k++) { size_t h = dHash(&dNxt[k], F) & (dTabCap - 1); while (dTab[h] >= 0) h = (h + 1) & (dTabCap - 1); dTab[h] = (int)k; }
  }
  size_t h = dHash(s, F) & (dTabCap - 1);
  while (dTab[h] >= 0) {
    DState *t = &dNxt[dTab[h]];
    if (t->bucket == s->bucket && !memcmp(t->f, s->f, F)) {
      if (s->land < t->land) t->land = s->land;
      if (s->pop > t->pop) t->pop = s->pop;
      if (s->rpop > t->rpop || (s->rpop == t->rpop && s->rland < t->rland)) { t->rpop = s->rpop; t->rland = s->rland; t->trace = s->trace; t->took = s->took; }
      return;
    }
    h = (h + 1) & (dTabCap - 1);
  }
  if (dNxtN == dNxtCap) { dNxtCap = dNxtCap ? 2 * dNxtCap : 4096; dNxt = realloc(dNxt, dNxtCap * sizeof *dNxt); if (!dNxt) { fprintf(stderr, "out of memory\n"); exit(3); } }
  dNxt[dNxtN] = *s; dTab[h] = (int)dNxtN; dNxtN++;
}
static int dSortF, denseParetoOn = 1;
static int dCompare(const void *a, const void *b) {
  const DState *x = a, *y = b; int c = memcmp(x->f, y->f, dSortF); if (c) return c;
  if (x->land != y->land) return x->land < y->land ? -1 : 1;
  return x->pop > y->pop ? -1 : x->pop < y->pop;  // most people first among equal land
}
static double denseBucket = 0.001;  // land bucket width (share of the land target)

// A witness from the dynamic program: the representative's set (the parent state's trace plus the
// unit just taken), kept when it really is a district (connected, holds the root and must, both
// bands met). Most "possible" answers come with one, which spares the exact search that would
// otherwise have to find a set, sometimes after millions of nodes.
static M denseWitness; static long long denseWitnessFound, denseWitnessTries;
#define DENSE_WITNESS_TRIES 64  // per program: past this many failed tries it answers "possible" without one
static int dense_witness(long long parentTrace, int took, int r, M must) {
  denseWitnessTries++;
  M W = took >= 0 ? BIT(took) : 0;
  for (long long k = parentTrace; k >= 0; k = dTrace[k].parent) if (dTrace[k].unit >= 0) W |= BIT(dTrace[k].unit);
  if (!(W & BIT(r)) || (must & ~W) || comp_of(BIT(r), W) != W) return 0;
  double p, l; sums(W, &p, &l);
  if (p < lo || p > hi || l < lo || l > hi) return 0;
  denseWitness = W; denseWitnessFound++; return 1;
}
// swapped = 1 asks the mirror question (land at least popNeed within population landCap: the
// sparse side, for districts that must cover land with few people).
static int dense_possible(M allowed, int r, double popNeed, double landCap, int swapped, M must) {
  const double *val = swapped ? land : pop, *wt = swapped ? pop : land; const int *byRatio = swapped ? byDensAsc : byDensDesc;
  denseCalls++; maybe_report();
  if (!(allowed & BIT(r))) return 0;
  M region = comp_of(BIT(r), allowed);
  if (must & ~region) return 0;
  int lastNeeded = dPos[r];  // the set is complete only once the root and every unit of must are decided
  for (M m = must; m; m &= m - 1) if (dPos[lowbit(m)] > lastNeeded) lastNeeded = dPos[lowbit(m)];
  for (int i = 0; i <= n; i++) {  // densest first over the undecided part of the region
    int m = 0; dSufLand[i][0] = dSufPop[i][0] = 0;
    for (int k = 0; k < n; k++) { int v = byRatio[k]; if (dPos[v] >= i && (region & BIT(v))) { dSufLand[i][m + 1] = dSufLand[i][m] + wt[v]; dSufPop[i][m + 1] = dSufPop[i][m] + val[v]; m++; } }
    dSufN[i] = m;
  }
  const double eps = 1e-9;
  if (dense_bound(0, landCap) < popNeed - eps) return 0;
  if (!dCurCap) { dCurCap = 4096; dCur = malloc(dCurCap * sizeof *dCur); }
  memset(&dCur[0], 0, sizeof dCur[0]); dCurN = 1;
  denseWitness = 0; dTraceN = 0; dTracePush(-1, -1); dCur[0].trace = 0;
  long long curBase = 0; int possible = 0, tries = 0;
  for (int i = 0; i < n; i++) {
    int v = dOrd[i], oldF = dFsz[i], newF = dFsz[i + 1], inRegion = (region & BIT(v)) != 0;
    dNxtN = 0; if (dTab) memset(dTab, 0xff, dTabCap * sizeof *dTab);
    for (size_t si = 0; si < dCurN; si++) {
      const DState *s = &dCur[si];
      for (int take = 0; take <= 1; take++) {
        if (take && !inRegion) continue;
        if (!take && (v == r || (must & BIT(v)))) continue;  // the root and the units of must are taken
        unsigned char c[DMAXF + 1];
        for (int q = 0; q < oldF; q++) c[q] = s->f[q];
        double nl = s->land, np = s->pop, rl = s->rland, rp = s->rpop;
        c[oldF] = 0;
        if (take) {
          nl += wt[v]; np += val[v]; rl += wt[v]; rp += val[v];
          if (nl > landCap + eps) continue;
          unsigned char vc = 250; c[oldF] = vc;
          for (int j = 0; j < dNnb[i]; j++) { int q = dNbSlot[i][j]; unsigned char cc = c[q]; if (cc && cc != vc) for (int t = 0; t <= oldF; t++) if (c[t] == cc) c[t] = vc; }
        }
        // components leaving the frontier: the set is final, or it is broken
        int comps = 0, closed = 0, bad = 0; unsigned char seen[DMAXF + 1]; int ns = 0;
        for (int q = 0; q <= oldF; q++) { if (!c[q]) continue; int dup = 0; for (int t = 0; t < ns; t++) if (seen[t] == c[q]) dup = 1; if (!dup) seen[ns++] = c[q]; }
        comps = ns;
        for (int t = 0; t < ns; t++) { int stays = 0; for (int k = 0; k < newF; k++) if (c[dNewIdx[i][k]] == seen[t]) stays = 1; if (!stays) closed++; }
        int rDecided = lastNeeded <= i;
        if (closed) {
          if (comps > 1 || !rDecided) bad = 1;  // a piece left behind, or the root can no longer join
          else if (np >= popNeed - eps) {  // a finished connected set containing the root
            possible = 1; tries++;
            if (dense_witness(curBase + (long long)si, take ? v : -1, r, must) || tries > DENSE_WITNESS_TRIES) return 1;
            continue;
          }
          else bad = 1;                            // finished and too light
        }
        if (bad) continue;
        if (comps == 1 && rDecided && np >= popNeed - eps) {  // the set as it stands will do; growing it may still give a witness
          possible = 1; tries++;
          if (dense_witness(curBase + (long long)si, take ? v : -1, r, must) || tries > DENSE_WITNESS_TRIES) return 1;
        }
        if (np + dense_bound(i + 1, landCap - nl) < popNeed - eps) continue;
        DState t; memset(&t, 0, sizeof t);
        unsigned char map[256]; memset(map, 0, sizeof map); unsigned char next = 0;
        for (int k = 0; k < newF; k++) { unsigned char cc = c[dNewIdx[i][k]]; if (cc && !map[cc]) map[cc] = ++next; t.f[k] = cc ? map[cc] : 0; }
        t.land = nl; t.pop = np; t.bucket = (int)floor(nl / denseBucket);
        t.rland = rl; t.rpop = rp; t.trace = curBase + (long long)si; t.took = (unsigned char)take;
        dInsert(&t, newF);
      }
    }
    if (dNxtN > 1 && denseParetoOn) {  // Pareto filter: within one frontier configuration keep only states that no state with less land and at least as many people beats
      dSortF = newF; qsort(dNxt, dNxtN, sizeof *dNxt, dCompare);
      size_t w = 0; double bestPop = -1;
      for (size_t k = 0; k < dNxtN; k++) {
        if (k == 0 || memcmp(dNxt[k].f, dNxt[k - 1].f, newF)) bestPop = -1;
        if (dNxt[k].pop > bestPop) { bestPop = dNxt[k].pop; dNxt[w++] = dNxt[k]; }
      }
      dNxtN = w;
    }
    denseStates += dNxtN;
    DState *tmp = dCur; dCur = dNxt; dNxt = tmp; dCurN = dNxtN; size_t tc = dCurCap; dCurCap = dNxtCap; dNxtCap = tc;
    curBase = (long long)dTraceN;  // this layer's entries: state k's is curBase + k
    for (size_t k = 0; k < dCurN; k++) { dTracePush(dCur[k].trace, dCur[k].took ? v : -1); dCur[k].trace = curBase + (long long)k; }
    if (!dCurN) break;
  }
  return possible;
}
// The one-district check of --alone/--dense/--sparse: can district e still be formed inside al?
// With --dense/--sparse, a short search (shortLimit nodes) finds most sets; when it does not, the
// relaxations try to refute (and may hand back a set of their own), then a search from the required
// units' cheapest paths tries to find one, before the exact search runs (to fullLimit).
// Returns ONE_FOUND (aloneWitness holds the set), ONE_NONE (the search refuted), ONE_NONE_DP (a
// relaxation refuted) or ONE_GAVE_UP (the final search passed fullLimit nodes; 0 = no limit).
enum { ONE_FOUND, ONE_NONE, ONE_NONE_DP, ONE_GAVE_UP };
// A connected set inside al holding r and every unit of must: each unit of must in turn (nearest
// first) joined to the set by its cheapest path in land. 0 when one is out of reach. Only a start
// for a search that looks for a set (the districts need not contain these paths).
static M steiner_seed(M al, int r, M must) {
  M S = BIT(r);
  while (must & ~S) {
    double dist[128]; int prev[128]; M done = S, seen = 0;
    for (int v = 0; v < n; v++) { dist[v] = 1e18; prev[v] = -1; }
    for (M t = frontier(S, al); t; t &= t - 1) { int v = lowbit(t); dist[v] = land[v]; seen |= BIT(v); }
    int hit = -1;
    while (seen & ~done) {  // Dijkstra by scanning (n <= 128): cheap next to the searches it saves
      int b = -1; for (M t = seen & ~done; t; t &= t - 1) { int v = lowbit(t); if (b < 0 || dist[v] < dist[b]) b = v; }
      done |= BIT(b);
      if (must & BIT(b)) { hit = b; break; }
      for (M t = nbm[b] & al & ~done; t; t &= t - 1) { int u = lowbit(t); if (dist[b] + land[u] < dist[u]) { dist[u] = dist[b] + land[u]; prev[u] = b; seen |= BIT(u); } }
    }
    if (hit < 0) return 0;
    for (int v = hit; v >= 0; v = prev[v]) S |= BIT(v);
  }
  return S;
}
static long long seedFound, shortNodes = 1000;
static int one_district(M al, int r, int dense, int sparse, long long shortLimit, long long fullLimit) {
  if (dense || sparse) {
    aloneLimit = aloneNodes + shortLimit;
    int found = alone(al, BIT(r), 0, pop[r], land[r]), hit = aloneNodes > aloneLimit; aloneLimit = 0;
    if (found) return ONE_FOUND;
    if (!hit) return ONE_NONE;
    for (int swapped = 0; swapped < 2; swapped++) {  // the dense relaxation, then the sparse one
      if (!(swapped ? sparse : dense)) continue;
      if (!dense_possible(al, r, lo, hi, swapped, aloneMust)) return ONE_NONE_DP;
      if (denseWitness) { aloneWitness = denseWitness; return ONE_FOUND; }
    }
    M seed = aloneMust ? steiner_seed(al, r, aloneMust) : 0;  // the required units joined first: the plain search wanders away from far ones
    if (seed) {
      double p, l; sums(seed, &p, &l);
      aloneLimit = aloneNodes + 20000;
      found = alone(al, seed, 0, p, l); aloneLimit = 0;
      if (found) { seedFound++; return ONE_FOUND; }
    }
  }
  aloneLimit = fullLimit ? aloneNodes + fullLimit : 0;
  int found = alone(al, BIT(r), 0, pop[r], land[r]), hit = fullLimit && aloneNodes > aloneLimit; aloneLimit = 0;
  return found ? ONE_FOUND : hit ? ONE_GAVE_UP : ONE_NONE;
}
// Regions (the root's component of what a check may use) in which a district's check failed, per
// district: a check whose region lies inside one of them fails too (fewer units cannot make a set
// appear; the required units are fixed once the search starts), so it is answered without a search.
#define NOGOODS 16384
static M nogood[4][NOGOODS]; static int nogoodN[4], nogoodNext[4];
// --grow-nogoods: a region the dynamic program refuted is enlarged before it is kept: units the
// district may hold but the region lacks are added back in halving chunks, farthest from the root
// (hops) first, while the program still refutes the root's component of the result. The program is
// a relaxation, monotone in the region, so every region inside the enlarged one fails as well; the
// enlarged nogood answers later checks whose region differs only where it does not matter.
static int growNogoods, checkGrow; static long long growPrograms, growAdded;
static int hopsFrom[4][128];  // per district, hops from its root (set in main)
static M grow_nogood(M region, int e) {
  int r = droot[e]; M universe = comp_of(BIT(r), allUnitsMask & ~banned[e]);
  for (int q = 0; q < K; q++) if (q != e) universe &= ~BIT(droot[q]);
  int cand[128], nc = 0; for (M m = universe & ~region; m; m &= m - 1) cand[nc++] = lowbit(m);
  for (int i = 0; i < nc; i++) for (int j = i + 1; j < nc; j++)  // farthest first; O(n^2) on at most 128 units, small beside one program
    if (hopsFrom[e][cand[j]] > hopsFrom[e][cand[i]]) { int t = cand[i]; cand[i] = cand[j]; cand[j] = t; }
  int chunk = nc / 2 > 0 ? nc / 2 : 1, i = 0;
  while (i < nc) {
    int len = chunk < nc - i ? chunk : nc - i; M add = 0;
    for (int k = i; k < i + len; k++) add |= BIT(cand[k]);
    M bigger = comp_of(BIT(r), region | add);
    if (bigger == region) { i += len; continue; }  // nothing the root can reach: the program would repeat itself
    growPrograms++;
    if (!dense_possible(bigger, r, lo, hi, 0, forcedIn[e])) { region = bigger; growAdded += len; i += len; }
    else if (len > 1) chunk = len / 2;
    else i++;
  }
  return region;
}
// --nogoods-out FILE / --nogoods-in FILE: the failed regions outlive the run. A region kept for
// district e says "no set of e holding the units e was required to hold then lies inside it"; a run
// whose e must hold at least those units (a cube below the one that wrote the file: its --in
// literals and forced facts only grow) may use it as it stands. The file records the root, the
// tolerance and each district's required units; a block whose required units are not all required
// here, or a file for another root or tolerance, is skipped. Written at the end, and when the CPU
// limit (SIGXCPU) or SIGTERM stops the run, to FILE.tmp and then renamed.
static const char *nogoodsOut; static const char *nogoodsIn[64]; static int nNogoodsIn; static long long nogoodsLoaded;
static void on_stop_signal(int sig) { (void)sig; stopRequested = 1; }
static void hex_mask(FILE *f, M m) { fprintf(f, "%016llx%016llx", (unsigned long long)(m >> 64), (unsigned long long)m); }
static int parse_mask(const char *t, M *m) {
  unsigned long long hiw, low; if (strlen(t) != 32 || sscanf(t, "%16llx%16llx", &hiw, &low) != 2) return 0;
  *m = ((M)hiw << 64) | low; return 1;
}
static void write_nogoods(void) {
  if (!nogoodsOut) return;
  char tmp[1100]; snprintf(tmp, sizeof tmp, "%s.tmp", nogoodsOut);
  FILE *f = fopen(tmp, "w"); if (!f) { fprintf(stderr, "--nogoods-out: cannot write %s\n", tmp); return; }
  fprintf(f, "ks-k4-nogoods 1 %s %.6f\n", nm[droot[3]], tol);
  for (int e = 0; e < K; e++) {
    fprintf(f, "district %c must ", 'A' + e); hex_mask(f, forcedIn[e]);  /* every kept region was refuted with at most these units required (they only grow) */ fprintf(f, " regions %d\n", nogoodN[e]);
    for (int k = 0; k < nogoodN[e]; k++) { hex_mask(f, nogood[e][k]); fputc('\n', f); }
  }
  if (fclose(f) != 0 || rename(tmp, nogoodsOut) != 0) fprintf(stderr, "--nogoods-out: cannot write %s\n", nogoodsOut);
}
static void keep_nogood(int e, M region) {
  nogood[e][nogoodNext[e]] = region; nogoodNext[e] = (nogoodNext[e] + 1) % NOGOODS; if (nogoodN[e] < NOGOODS) nogoodN[e]++;
}
// Reads one file, adding the regions it takes to *taken (each is whole when taken, so a file cut short
// still gives what it held); returns -1 when the file is unreadable or malformed, else 0.
static int read_nogoods(const char *path, long long *taken) {
  FILE *f = fopen(path, "r"); if (!f) return -1;
  char root[64], t[64]; int version; double ftol;
  if (fscanf(f, "ks-k4-nogoods %d %63s %lf", &version, root, &ftol) != 3 || version != 1) { fclose(f); return -1; }
  if (strcmp(root, nm[droot[3]]) || fabs(ftol - tol) > 1e-9) { fclose(f); fprintf(stderr, "--nogoods-in %s: written for %s at %.4f, skipped\n", path, root, ftol); return 0; }
  for (int e = 0; e < K; e++) {
    char letter; int count; M must;
    if (fscanf(f, " district %c must %63s regions %d", &letter, t, &count) != 3 || letter != 'A' + e || count < 0 || !parse_mask(t, &must)) { fclose(f); return -1; }
    int usable = !(must & ~forcedIn[e]);  // every unit it was required to hold is required here
    if (!usable && count) fprintf(stderr, "--nogoods-in %s: district %c's regions assumed units not required here, skipped\n", path, 'A' + e);
    for (int k = 0; k < count; k++) {
      M region; if (fscanf(f, "%63s", t) != 1 || !parse_mask(t, &region)) { fclose(f); return -1; }
      if (usable) { keep_nogood(e, region); (*taken)++; }
    }
  }
  fclose(f); return 0;
}
static int district_exists(M al, int e) {
  M region = comp_of(BIT(droot[e]), al);
  for (int k = 0; k < nogoodN[e]; k++) if (!(region & ~nogood[e][k])) { nogoodHits++; return 0; }
  aloneMust = forcedIn[e];
  int v = one_district(region, droot[e], denseMask >> e & 1, sparseMask >> e & 1, shortNodes, 0);
  aloneMust = 0;
  if (v == ONE_NONE) alonePrunes++;
  if (v == ONE_NONE_DP) densePrunes++;
  if (v == ONE_NONE_DP && growNogoods) region = grow_nogood(region, e);
  if (v == ONE_NONE || v == ONE_NONE_DP) keep_nogood(e, region);
  return v == ONE_FOUND;
}
// --pair: can districts C and D both still be formed, disjointly, in what the first level leaves?
// The first of the pair (D, or C with --pair-first C) is enumerated only up to its first connected
// set with enough population (land within the top): a larger one only takes units from the second.
// Each such set is followed by the second's one-district check in what it leaves (a short exact
// search, then both one-sided relaxations, then a longer search; past that limit it counts as
// possible). While the first grows, the second's knapsack bound over what the first leaves prunes.
// Sound: for a plan's pair (D*, C*), the branch that follows D* stops at a subset of D* with enough
// population, every bound on that branch holds (D* and C* complete it), and C* lies in what it leaves.
// A found pair stays a witness while the first level's district does not touch it (16 are kept).
static int pairMode, pairFirst = 3, pairSecond = 2;
static long long pairNodes, pairSecondChecks, pairSecondGaveUp, pairUndecided, pairSecondLimit = 200000;
static SetRing pairWit, pairUnd;  // pairs found (witnesses while untouched); regions left undecided (an exclusion repeats the query)
static M pairAl1, pairAl2, pairFound;
static int pair_second(M S) {
  pairSecondChecks++;
  int v = one_district(pairAl2 & ~S, droot[pairSecond], 1, 1, shortNodes, pairSecondLimit);
  if (v == ONE_FOUND) { pairFound = S | aloneWitness; return 1; }
  if (v == ONE_GAVE_UP) { pairSecondGaveUp++; pairFound = 0; return 1; }
  return 0;
}
static long long pairEnumLimit;  // when nonzero, pair_enum gives up (returns 0) past this node count
static int pair_enum(M S, M X, double ps, double ls) {
  if (pairEnumLimit && pairNodes >= pairEnumLimit) return 0;
  pairNodes++;
  if (ps > hi || ls > hi) return 0;
  int r2 = droot[pairSecond];
  M reach2 = comp_of(BIT(r2), pairAl2 & ~S);
  if (!can_complete(BIT(r2), reach2 & ~BIT(r2), pop[r2], land[r2], 0)) return 0;
  M reach = comp_of(S, pairAl1 & ~X);
  if (!can_complete(S, reach & ~S, ps, ls, 0)) return 0;
  if (ps >= lo) return pair_second(S);
  M front = frontier(S, pairAl1 & ~X);
  if (!front) return 0;
  int best = heaviest(front);
  if (pair_enum(S | BIT(best), X, ps + pop[best], ls + land[best])) return 1;
  return pair_enum(S, X | BIT(best), ps, ls);
}
static long long pairQuickNodes = 20000, pairQuickFound, pairQuickRefuted;
// rest: the units the first level has not taken. A pair search of at most --pair-nodes nodes: a
// pair it finds becomes a witness, an exhausted search refutes, and past the limit the region
// counts as possible.
static int pair_possible(M rest) {
  if (ring_within(&pairWit, rest) || ring_has(&pairUnd, rest)) { pairRepeats++; return 1; }
  pairCalls++; maybe_report();
  int r1 = droot[pairFirst];
  pairAl1 = rest & ~banned[pairFirst]; pairAl2 = rest & ~banned[pairSecond];
  if (!(pairAl1 & BIT(r1)) || !(pairAl2 & BIT(droot[pairSecond]))) { pairPrunes++; return 0; }
  pairFound = 0; pairEnumLimit = pairNodes + pairQuickNodes;
  int ok = pair_enum(BIT(r1), 0, pop[r1], land[r1]), hit = pairNodes >= pairEnumLimit; pairEnumLimit = 0;
  if (ok && pairFound) { pairQuickFound++; ring_push(&pairWit, pairFound); return 1; }
  if (!ok && !hit) { pairQuickRefuted++; pairPrunes++; return 0; }
  pairUndecided++; ring_push(&pairUnd, rest);
  return 1;
}
// --check-pair: the exact pair question by brute force (every complete first district, each with
// the second's exact one-district search); -1 past `limit` search nodes.
static long long exactPairNodes, exactPairLimit; static int exactPairGaveUp;
static int exact_pair(M S, M X, double ps, double ls) {
  if (++exactPairNodes > exactPairLimit) return -1;
  if (ps > hi || ls > hi) return 0;
  M reach = comp_of(S, pairAl1 & ~X);
  if (!can_complete(S, reach & ~S, ps, ls, 0)) return 0;
  if (ps >= lo && ls >= lo) {
    int r2 = droot[pairSecond]; aloneLimit = aloneNodes + 2000000;
    int found = alone(pairAl2 & ~S, BIT(r2), 0, pop[r2], land[r2]); if (aloneNodes > aloneLimit) exactPairGaveUp = 1; aloneLimit = 0;
    if (found) return 1;
  }
  M front = frontier(S, pairAl1 & ~X);
  if (!front) return 0;
  int best = heaviest(front);
  int a = exact_pair(S | BIT(best), X, ps + pop[best], ls + land[best]); if (a) return a;
  return exact_pair(S, X | BIT(best), ps, ls);
}

// Counters of the one-district checks, appended to the result line.
static void print_check_counters(void) {
  if (aloneMask) printf("; one-district checks %lld: %lld search nodes in those that found a set, %lld in those that failed; pruned by the search %lld, answered by an earlier failure %lld, found from the required units' paths %lld; sets found by the dynamic program %lld (%lld tried)", aloneCalls, aloneFoundNodes, aloneFailNodes, alonePrunes, nogoodHits, seedFound, denseWitnessFound, denseWitnessTries);
  if (denseMask | sparseMask | pairMode) printf("; dynamic programs %lld (%lld states), pruned by them %lld", denseCalls, denseStates, densePrunes);
  if (growNogoods) printf("; nogoods grown by %lld programs (%lld units added back)", growPrograms, growAdded);
  if (nNogoodsIn) printf("; %lld failed regions loaded (--nogoods-in)", nogoodsLoaded);
  if (pairMode) printf("; pair checks %lld (+%lld answered by earlier ones): found %lld, refuted %lld, undecided %lld; %lld search nodes, %lld second-district checks (%lld gave up)", pairCalls, pairRepeats, pairQuickFound, pairQuickRefuted, pairUndecided, pairNodes, pairSecondChecks, pairSecondGaveUp);
}
// --estimate: the first level stops at each branching node and reports the vertex it would branch on
static int probeMode, probeBest;
// --part I/N: the first level keeps every N-th subtree (the I-th) at depth PART_DEPTH
static int partIndex, partCount = 1; static long long partCounter;
#define PART_DEPTH 14
// --check-forced-questions: a plain enumeration of the connected sets containing S's root inside
// allowed (only the band tops prune) that meets both bottoms and holds `must`; -1 past the limit.
static long long bruteNodes, bruteLimit;
static int brute_set(M allowed, M S, M X, double ps, double ls, M must) {
  if (++bruteNodes > bruteLimit) return -1;
  if (ps > hi || ls > hi) return 0;
  if (ps >= lo && ls >= lo && !(must & ~S)) return 1;
  M front = frontier(S, allowed & ~X);
  if (!front) return 0;
  int b = lowbit(front);
  int a = brute_set(allowed, S | BIT(b), X, ps + pop[b], ls + land[b], must); if (a) return a;
  return brute_set(allowed, S, X | BIT(b), ps, ls, must);
}
// --forced: before the search, narrow each district's allowed units by one-district questions, to
// a fixpoint. (1) If district e cannot be formed without unit u, every plan puts u in e: u is banned
// from the other districts. (2) If no set of district e that meets both bands holds u, u is banned
// from e. Both use the exact one-district search (with the dense dynamic program), and a question
// decides only when the search ends within --forced-limit nodes (so a give-up changes nothing).
static long long forcedLimit = 2000000;
// Sets of each district found by the questions: a set that still lies inside the allowed units and
// holds the district's forced units answers (1) for every unit outside it and (2) for every unit in it.
#define FORCED_WITNESSES 1024
static M forcedWit[4][FORCED_WITNESSES]; static int forcedWitN[4]; static long long forcedWitHits;
static int forced_witness(int e, M al, M must, M avoid) {
  for (int k = 0; k < forcedWitN[e]; k++) { M w = forcedWit[e][k]; if (!(w & ~al) && !(must & ~w) && !(w & avoid)) { forcedWitHits++; return 1; } }
  return 0;
}
static void forced_keep(int e) { if (forcedWitN[e] < FORCED_WITNESSES) forcedWit[e][forcedWitN[e]++] = aloneWitness; }
// A unit that every district but one is banned from belongs to that one (the roots and the units
// already forced are skipped). Prints each fact; returns whether any was added.
static int forced_last_district(M all) {
  int changed = 0;
  for (int u = 0; u < n; u++) {
    if (!(all & BIT(u))) continue;
    int left = -1, count = 0;
    for (int e = 0; e < K; e++) { if (droot[e] == u || (forcedIn[e] & BIT(u))) { count = -1; break; } if (!(banned[e] & BIT(u))) { left = e; count++; } }
    if (count != 1) continue;
    force_into(left, u); changed = 1;
    fprintf(stderr, "  %s must be in district %c (banned from the others)\n", nm[u], 'A' + left);
  }
  return changed;
}
static int forced_pass(M all) {
  int changed = forced_last_district(all);
  for (int e = 0; e < K; e++) {
    int r = droot[e]; M al = all & ~banned[e];
    for (int u = 0; u < n; u++) {
      if (u == r || !(al & BIT(u)) || (forcedIn[e] & BIT(u))) continue;
      int v = ONE_FOUND, w = ONE_FOUND;
      aloneMust = forcedIn[e];  // the units already put in e: every set of e holds them
      if (!forced_witness(e, al, forcedIn[e], BIT(u))) { v = one_district(al & ~BIT(u), r, 1, 0, shortNodes, forcedLimit); if (v == ONE_FOUND) forced_keep(e); }
      if (v == ONE_NONE || v == ONE_NONE_DP) {
        aloneMust = 0; force_into(e, u); changed = 1;
        fprintf(stderr, "  %s must be in district %c\n", nm[u], 'A' + e);
        continue;
      }
      aloneMust = forcedIn[e] | BIT(u);
      if (!forced_witness(e, al, forcedIn[e] | BIT(u), 0)) {  // a long first search: a set holding a given unit is usually found fast, before any dynamic program
        w = one_district(al, r, 1, 0, forcedLimit, forcedLimit);
        if (w == ONE_FOUND) forced_keep(e);
      }
      aloneMust = 0;
      if (w == ONE_NONE || w == ONE_NONE_DP) { banned[e] |= BIT(u); al &= ~BIT(u); changed = 1; fprintf(stderr, "  %s cannot be in district %c\n", nm[u], 'A' + e); }
    }
  }
  if (forcedPair) for (int k = 0; k < 2; k++) {  // (3) C and D together: can they be formed with u kept out of one of them?
    int e = k ? pairSecond : pairFirst;
    M rest = all & ~BIT(droot[0]) & ~forcedIn[0];  // what A leaves at least
    for (int u = 0; u < n; u++) {
      if (u == droot[e] || (banned[e] & BIT(u)) || (forcedIn[e] & BIT(u)) || !(rest & BIT(u))) continue;
      banned[e] |= BIT(u); pairWit = pairUnd = (SetRing){0};
      int possible = pair_possible(rest);
      banned[e] &= ~BIT(u);
      if (!possible) {
        force_into(e, u); changed = 1;
        fprintf(stderr, "  %s must be in district %c (pair check)\n", nm[u], 'A' + e);
      }
    }
    pairWit = pairUnd = (SetRing){0};
  }
  return changed;
}
static unsigned long long rng = 88172645463325252ULL;
static unsigned long long xorshift(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
// a random connected set of at most `size` units: seed grown one random neighbour (inside `within`) at a time
static M grow_random(M seed, M within, int size) {
  for (int g = 1; g < size; g++) {
    M fr = frontier(seed, within); if (!fr) break;
    int pick = (int)(xorshift() % popcnt(fr)); while (pick--) fr &= fr - 1;
    seed |= BIT(lowbit(fr));
  }
  return seed;
}
// --check-dense, --check-grow: D's allowed units minus a random connected blob around Johnson
static M random_d_region(void) {
  int r = droot[3], size = 5 + (int)(xorshift() % 30); M blob = grow_random(BIT(droot[0]), ~banned[0] & ~BIT(droot[1]) & ~BIT(droot[2]) & ~BIT(r), size);
  M al = allUnitsMask & ~blob & ~banned[3]; for (int q = 0; q < 3; q++) al &= ~BIT(droot[q]);
  return al;
}
// --position-out FILE / --resume-from FILE: a stopped run writes where its first level stood (the
// branch taken at each branching node above it: 0 = the unit in, 1 = out, so every subtree of a 1
// is finished) and a fingerprint of what shapes the tree (the districts' banned and required units,
// order, tolerance); a run given that file skips the finished subtrees. The branching unit depends
// only on S, X and the allowed units, so the same fingerprint means the same tree; the checks that
// prune it (nogoods, witnesses) only remove subtrees that hold no plan.
static const char *positionOut, *resumeFrom; static char resumePath[260]; static int resumeLen, resumeOn;
static long long stopAfterNodes;  // --stop-after-nodes N: act as if stopped by a signal there (tests)
static unsigned long long search_fingerprint(void) {
  unsigned long long h = 1469598103934665603ull;
  #define FNV(x) do { h ^= (unsigned long long)(x); h *= 1099511628211ull; } while (0)
  for (int e = 0; e < K; e++) { FNV((unsigned long long)banned[e]); FNV((unsigned long long)(banned[e] >> 64)); FNV((unsigned long long)forcedIn[e]); FNV((unsigned long long)(forcedIn[e] >> 64)); FNV(order[e]); FNV(droot[e]); }
  FNV(n); FNV((long long)llround(tol * 1e6));
  #undef FNV
  return h;
}
static int searchStarted;  // the position means something only once the search runs (after --forced)
static void write_position(void) {
  if (!positionOut || !searchStarted) return;
  char tmp[1100]; snprintf(tmp, sizeof tmp, "%s.tmp", positionOut);
  FILE *f = fopen(tmp, "w"); if (!f) return;
  for (int i = 0; i < depth0; i++) fputc(path0[i] ? '1' : '0', f);
  fprintf(f, "%s %016llx %lld\n", depth0 ? "" : "-", search_fingerprint(), nodes[0]);
  if (fclose(f) == 0) rename(tmp, positionOut);
}
// enumerate connected S ∋ root within allowed; X = excluded
// parentPools (nullable): each later district's first-pass pool at the parent node; added: the vertex
// the parent moved into S (-1 when it excluded one). A later district's check only reads S through
// that pool (and never reads X), so it is skipped when the parent passed it and the change is an
// exclusion or lies outside the pool.
static int enum_sets(int lv, M avail, M allowed, M S, M X, double ps, double ls, const M *parentPools, int added) {
  int d = order[lv];
  if (lv == 0 && stopAfterNodes && nodes[0] >= stopAfterNodes) { stopRequested = 1; maybe_report(); }
  if (nodeLimit && nodes[0] > nodeLimit) return 0;  // NODE_LIMIT counts first-level nodes
  nodes[lv]++;
  if (++totalNodes % 65536 == 0) maybe_report();
  if (ps > hi || ls > hi) return 0;
  { // components of what S leaves: a component without a later root must join S whole
    M rootsLeft = 0; for (int j = lv + 1; j < K; j++) rootsLeft |= BIT(droot[order[j]]);
    M rest = avail & ~S, left = rest, forced = 0;
    while (left) {
      int v = lowbit(left); M c = comp_of(BIT(v), rest); left &= ~c;
      int r = popcnt(c & rootsLeft); double p, l; sums(c, &p, &l);
      if (r == 0) { if (c & (X | ~allowed)) return 0; forced |= c; continue; }
      if (p < r * lo || l < r * lo) return 0;
    }
    if (forced) { double p, l; sums(forced, &p, &l); if (ps + p > hi || ls + l > hi) return 0; }
  }
  M pools[4] = {0, 0, 0, 0};
  { // every later district must still be able to reach its bands in what S leaves
    M rootsLeft = 0; for (int j = lv + 1; j < K; j++) rootsLeft |= BIT(droot[order[j]]);
    for (int j = lv + 1; j < K; j++) {
      int e = order[j], r = droot[e];
      if (parentPools && (added < 0 || !(parentPools[e] & BIT(added)))) { pools[e] = parentPools[e]; continue; }
      M region = comp_of(BIT(r), avail & ~S & ~banned[e] & ~(rootsLeft & ~BIT(r)));
      if (!can_complete(BIT(r), region & ~BIT(r), pop[r], land[r], forcedIn[e])) return 0;
      pools[e] = firstPassPool;
    }
  }
  M reach = comp_of(S, allowed & ~X);
  if (!can_complete(S, reach & ~S, ps, ls, forcedIn[d])) return 0;  // also: a unit the district must hold (--forced, --in) is out of reach
  if (lv <= aloneLevel && popcnt(S) + popcnt(X) <= aloneDepth + 1) for (int j = lv + 1; j < K; j++) { // --alone: the later district must still exist on its own
    int e = order[j];
    if (!((aloneMask >> e) & 1)) continue;
    if (ring_within(&witness[e], avail & ~S)) continue;
    M al = avail & ~S & ~banned[e]; for (int q = 1; q < K; q++) if (q != j) al &= ~BIT(droot[order[q]]);
    aloneCalls++;
    long long before = aloneNodes;
    int found = district_exists(al, e);
    if (found) aloneFoundNodes += aloneNodes - before; else aloneFailNodes += aloneNodes - before;
    if (!found) return 0;
    ring_push(&witness[e], aloneWitness);
  }
  if (pairMode && lv == 0 && !pair_possible(avail & ~S)) return 0;
  M front = frontier(S, allowed & ~X);
  if (!front) {
    if (ps < lo || ls < lo || (forcedIn[d] & ~S)) return 0;
    cands[lv]++;
    M rest = avail & ~S;
    if (!rest_ok(lv, rest)) return 0;
    planM[d] = S;
    if (lv == 0 && dumpFile && dumpSeen < 400 && dumpSeen++ % 20 == 0) {  // --dump-candidates: bitmask, high word first
      FILE *df = fopen(dumpFile, "a"); if (df) { fprintf(df, "%016llx%016llx\n", (unsigned long long)(S >> 64), (unsigned long long)S); fclose(df); }
    }
    if (probeMode) return 0;
    return solve_level(lv + 1, rest);
  }
  int best = heaviest(front);
  if (probeMode && lv == 0) { probeBest = best; return 2; }
  if (lv == 0 && partCount > 1 && depth0 == PART_DEPTH && partCounter++ % partCount != partIndex) return 0;
  int dep = depth0;  // this node's depth in the first level's tree
  if (lv == 0 && resumeOn && dep >= resumeLen) resumeOn = 0;  // the node the stopped run was under: searched again in full
  int follow = lv == 0 && resumeOn, skipIn = follow && resumePath[dep] == '1';
  if (lv == 0) { path0[depth0++] = 0; }
  if (!skipIn) {
    if (enum_sets(lv, avail, allowed, S | BIT(best), X, ps + pop[best], ls + land[best], pools, best)) return 1;
    if (follow) resumeOn = 0;  // past the stopped run's position: everything from here on is new
  }
  if (lv == 0) path0[depth0 - 1] = 1;
  int r_ = enum_sets(lv, avail, allowed, S, X | BIT(best), ps, ls, pools, -1);
  if (lv == 0) depth0--;
  return r_;
}
static int solve_level(int lv, M avail) {
  int d = order[lv];
  if (lv == K - 1) {
    double p, l; sums(avail, &p, &l);
    if (p < lo || p > hi || l < lo || l > hi) return 0;
    if (comp_of(BIT(lowbit(avail)), avail) != avail) return 0;
    if (droot[d] >= 0 && !(avail & BIT(droot[d]))) return 0;
    planM[d] = avail; leafsOK++; return 1;
  }
  M allowed = avail & ~banned[d];
  for (int j = lv + 1; j < K; j++) if (droot[order[j]] >= 0) allowed &= ~BIT(droot[order[j]]);
  int r = droot[d];
  if (r >= 0) { if (!(allowed & BIT(r))) return 0; return enum_sets(lv, avail, allowed, BIT(r), 0, pop[r], land[r], 0, -1); }
  return 0;
}
int main(int argc, char **argv) {
  signal(SIGXCPU, on_stop_signal); signal(SIGTERM, on_stop_signal);  // --nogoods-out is written before the run ends
  FILE *f = fopen(argv[1], "r"); tol = atof(argv[2]);
  const char *dRoot = argv[3]; const char *ord = argv[4]; // e.g. "DABC"
  int probes = 0;
  for (int a = 5; a < argc; a++) {
    if ((!strcmp(argv[a], "--in") || !strcmp(argv[a], "--out")) && a + 1 < argc && nCube < 256) { cubeIn[nCube] = argv[a][2] == 'i'; cubeArg[nCube++] = argv[++a]; }
    else if (!strcmp(argv[a], "--forced")) forcedMode = 1;
    else if (!strcmp(argv[a], "--check-forced")) checkForced = forcedMode = 1;
    else if (!strcmp(argv[a], "--forced-pair")) forcedPair = forcedMode = 1;
    else if (!strcmp(argv[a], "--check-forced-questions") && a + 1 < argc) checkQuestions = atoi(argv[++a]);
    else if (!strcmp(argv[a], "--check-must") && a + 1 < argc) checkMust = atoi(argv[++a]);
    else if (!strcmp(argv[a], "--short-nodes") && a + 1 < argc) shortNodes = atoll(argv[++a]);
    else if (!strcmp(argv[a], "--grow-nogoods")) growNogoods = 1;
    else if (!strcmp(argv[a], "--nogoods-out") && a + 1 < argc) nogoodsOut = argv[++a];
    else if (!strcmp(argv[a], "--position-out") && a + 1 < argc) positionOut = argv[++a];
    else if (!strcmp(argv[a], "--resume-from") && a + 1 < argc) resumeFrom = argv[++a];
    else if (!strcmp(argv[a], "--stop-after-nodes") && a + 1 < argc) stopAfterNodes = atoll(argv[++a]);
    else if (!strcmp(argv[a], "--nogoods-in") && a + 1 < argc) { if (nNogoodsIn < 64) nogoodsIn[nNogoodsIn++] = argv[++a]; else fprintf(stderr, "--nogoods-in: more than 64 files, %s ignored\n", argv[++a]); }
    else if (!strcmp(argv[a], "--check-grow") && a + 1 < argc) checkGrow = atoi(argv[++a]);
    else if (!strcmp(argv[a], "--forced-limit") && a + 1 < argc) forcedLimit = atoll(argv[++a]);
    else if (!strcmp(argv[a], "--alone") && a + 1 < argc) { for (const char *c = argv[++a]; *c; c++) aloneMask |= 1 << (*c - 'A'); }
    else if (!strcmp(argv[a], "--alone-depth") && a + 1 < argc) aloneDepth = atoi(argv[++a]);
    else if (!strcmp(argv[a], "--dense") && a + 1 < argc) { for (const char *c = argv[++a]; *c; c++) denseMask |= 1 << (*c - 'A'); }
    else if (!strcmp(argv[a], "--dense-bucket") && a + 1 < argc) denseBucket = atof(argv[++a]);
    else if (!strcmp(argv[a], "--no-pareto")) denseParetoOn = 0;
    else if (!strcmp(argv[a], "--dump-candidates") && a + 1 < argc) dumpFile = argv[++a];
    else if (!strcmp(argv[a], "--sparse") && a + 1 < argc) { for (const char *c = argv[++a]; *c; c++) sparseMask |= 1 << (*c - 'A'); }
    else if (!strcmp(argv[a], "--pair")) pairMode = 1;
    else if (!strcmp(argv[a], "--pair-first") && a + 1 < argc) { pairMode = 1; if (argv[++a][0] == 'C') { pairFirst = 2; pairSecond = 3; } }
    else if (!strcmp(argv[a], "--pair-limit") && a + 1 < argc) pairSecondLimit = atoll(argv[++a]);
    else if (!strcmp(argv[a], "--pair-nodes") && a + 1 < argc) pairQuickNodes = atoll(argv[++a]);
    else if (!strcmp(argv[a], "--check-pair") && a + 1 < argc) checkPair = atoi(argv[++a]);
    else if (!strcmp(argv[a], "--check-pair-plan") && a + 1 < argc) { checkPairPlan = atoi(argv[++a]); pairMode = 1; }
    else if (!strcmp(argv[a], "--alone-level") && a + 1 < argc) aloneLevel = atoi(argv[++a]);
    else if (!strcmp(argv[a], "--check-dense") && a + 1 < argc) checkDense = atoi(argv[++a]);
    else if (!strcmp(argv[a], "--estimate") && a + 1 < argc) probes = atoi(argv[++a]);
    else if (!strcmp(argv[a], "--part") && a + 1 < argc) { if (sscanf(argv[++a], "%d/%d", &partIndex, &partCount) != 2 || partCount < 1 || partIndex < 0 || partIndex >= partCount) { fprintf(stderr, "--part wants I/N with 0 <= I < N\n"); return 2; } }
    else nodeLimit = atoll(argv[a]);
  }
  fscanf(f, "%d", &n);
  for (int i = 0; i < n; i++) { fscanf(f, "%lf %lf %d", &pop[i], &land[i], &deg[i]); for (int j = 0; j < deg[i]; j++) { fscanf(f, "%d", &nb[i][j]); nbm[i] |= BIT(nb[i][j]); } fscanf(f, "%31s", nm[i]); }
  double tp = 0, tl = 0; for (int i = 0; i < n; i++) { tp += pop[i]; tl += land[i]; }
  P = tp / K; A = tl / K; for (int i = 0; i < n; i++) { pop[i] /= P; land[i] /= A; }
  lo = 1 - tol; hi = 1 + tol;
  int J = -1, S = -1, W = -1, D = -1;
  for (int i = 0; i < n; i++) { if (!strcmp(nm[i], "Johnson")) J = i; if (!strcmp(nm[i], "Sedgwick")) S = i; if (!strcmp(nm[i], "Wyandotte")) W = i; if (!strcmp(nm[i], dRoot)) D = i; }
  droot[0] = J; droot[1] = S; droot[2] = W; droot[3] = D;  // A, B, C, D
  for (int k = 0; k < 4; k++) banned[k] = 0;
  banned[0] |= BIT(W);  // Wyandotte cannot join Johnson (fractional knapsack, README)
  for (int i = 0; i < n; i++) if (pop[i] > pop[D] || (pop[i] == pop[D] && i < D)) banned[3] |= BIT(i);
  for (int k = 0; k < 4; k++) for (int j = 0; j < 4; j++) if (j != k) banned[k] |= BIT(droot[j]);
  for (int c = 0; c < nCube; c++) {  // --in/--out COUNTY:LETTER: one case of a split on that county
    char name[64]; char letter = 0; const char *colon = strrchr(cubeArg[c], ':');
    if (!colon || colon[1] < 'A' || colon[1] > 'D' || colon[2] || colon - cubeArg[c] >= 64) { fprintf(stderr, "--in/--out want COUNTY:LETTER (A-D)\n"); return 2; }
    memcpy(name, cubeArg[c], colon - cubeArg[c]); name[colon - cubeArg[c]] = 0; letter = colon[1];
    int u = -1; for (int i = 0; i < n; i++) if (!strcmp(nm[i], name)) u = i;
    if (u < 0) { fprintf(stderr, "--in/--out: no county %s\n", name); return 2; }
    int e = letter - 'A';
    if (cubeIn[c]) force_into(e, u); else banned[e] |= BIT(u);
  }
  for (int k = 0; k < 4; k++) order[k] = ord[k] - 'A';
  if ((pairMode || checkPair) && (order[0] == 2 || order[0] == 3)) { fprintf(stderr, "--pair checks C and D in what the first level leaves: the order must start with A or B\n"); return 2; }
  lastReport = time(0);
  for (int i = 0; i < n; i++) byDensAsc[i] = byDensDesc[i] = i;
  for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) {
    if (pop[byDensAsc[j]] / land[byDensAsc[j]] < pop[byDensAsc[i]] / land[byDensAsc[i]]) { int t = byDensAsc[i]; byDensAsc[i] = byDensAsc[j]; byDensAsc[j] = t; }
    if (pop[byDensDesc[j]] / land[byDensDesc[j]] > pop[byDensDesc[i]] / land[byDensDesc[i]]) { int t = byDensDesc[i]; byDensDesc[i] = byDensDesc[j]; byDensDesc[j] = t; }
  }
  aloneMask |= denseMask | sparseMask;
  allUnitsMask = (n == 128) ? ~(M)0 : (BIT(n) - 1);
  for (int e = 0; e < K; e++) {  // hops from each root, for --grow-nogoods
    for (int i = 0; i < n; i++) { hopsFrom[e][i] = 1000; } int q[128], h = 0, t = 0; q[t++] = droot[e]; hopsFrom[e][droot[e]] = 0;
    while (h < t) { int v = q[h++]; for (int j = 0; j < deg[v]; j++) { int u = nb[v][j]; if (hopsFrom[e][u] > hopsFrom[e][v] + 1) { hopsFrom[e][u] = hopsFrom[e][v] + 1; q[t++] = u; } } }
  }
  if (denseMask | sparseMask | checkDense | checkGrow | pairMode | checkPair | checkPairPlan | forcedMode | checkQuestions | checkMust) dense_init();
  if (checkPair > 0) {  // --check-pair N: the pair check must never refute a region where brute force finds the pair
    int refuted = 0, exactNo = 0, undecided = 0, unsound = 0, possible = 0;
    for (int t = 0; t < checkPair; t++) {
      int size = 2 + (int)(xorshift() % 40); M blob = grow_random(BIT(droot[0]), ~banned[0], size);
      M rest = allUnitsMask & ~blob;
      pairWit = pairUnd = (SetRing){0}; long long pn0 = pairNodes, an0 = aloneNodes; clock_t c0 = clock(); int pr = pair_possible(rest); clock_t c1 = clock();
      long long pn = pairNodes - pn0, an = aloneNodes - an0;
      int r1 = droot[pairFirst]; exactPairNodes = 0; exactPairLimit = 2000000; aloneLimit = 0;
      if (pr) { possible++; fprintf(stderr, "  region %d (%d units taken): pair check %s (%lld nodes, %.2fs)\n", t, popcnt(blob), pairFound ? "found a pair" : "gave up", pn, (double)(c1 - c0) / CLOCKS_PER_SEC); continue; }
      exactPairGaveUp = 0;
      int x = (pairAl1 & BIT(r1)) && (pairAl2 & BIT(droot[pairSecond])) ? exact_pair(BIT(r1), 0, pop[r1], land[r1]) : 0;
      if (x == 0 && exactPairGaveUp) x = -1;
      fprintf(stderr, "  region %d (%d units taken): pair check refuted (%lld nodes, %lld one-district nodes, %.2fs), brute force %s (%.2fs)\n", t, popcnt(blob), pn, an,
              (double)(c1 - c0) / CLOCKS_PER_SEC, x < 0 ? "undecided" : x ? "pair" : "none", (double)(clock() - c1) / CLOCKS_PER_SEC);
      refuted++; if (x < 0) { undecided++; continue; }
      exactNo += !x; if (x) { unsound++; printf("UNSOUND region %d\n", t); }
    }
    printf("check-pair: %d regions: the pair check refutes %d (brute force finds no pair in %d of them, left %d undecided; unsound %d) and passes %d\n", checkPair, refuted, exactNo, undecided, unsound, possible);
    return unsound != 0;
  }
  if (checkGrow > 0) {  // --check-grow N: a grown nogood must hold no district (exact search, with D's required units)
    int e = 3, r = droot[e], refuted = 0, grown = 0, unsound = 0, undecided = 0;
    for (int t = 0; t < checkGrow; t++) {
      M al = random_d_region();
      M region = comp_of(BIT(r), al);
      if (dense_possible(region, r, lo, hi, 0, forcedIn[e])) continue;
      refuted++;
      M big = grow_nogood(region, e); grown += big != region;
      aloneMust = forcedIn[e]; aloneLimit = aloneNodes + 3000000; int x = alone(big, BIT(r), 0, pop[r], land[r]); int hit = aloneNodes > aloneLimit; aloneLimit = 0; aloneMust = 0;
      if (x) { unsound++; printf("UNSOUND region %d: the grown nogood holds a district\n", t); }
      else if (hit) undecided++;
    }
    printf("check-grow: %d regions, the dynamic program refutes %d, %d of them grown; the exact search finds a district in %d grown regions (unsound), gave up on %d\n", checkGrow, refuted, grown, unsound, undecided);
    return unsound != 0;
  }
  if (checkDense > 0) {  // --check-dense N: the relaxation must never refute a region where the exact search finds D
    int e = 3, r = droot[e], refuted = 0, refutedSparse = 0, exactNo = 0, unsound = 0;
    for (int t = 0; t < checkDense; t++) {
      M al = random_d_region();
      int d = dense_possible(al, r, lo, hi, 0, 0), sp = dense_possible(al, r, lo, hi, 1, 0);
      aloneLimit = 0; int x = alone(al, BIT(r), 0, pop[r], land[r]);
      refuted += !d; refutedSparse += !sp; exactNo += !x; if ((!d || !sp) && x) { unsound++; printf("UNSOUND region %d\n", t); }
    }
    printf("check-dense: %d regions, exact search finds no D in %d, the dense relaxation refutes %d, the sparse one %d, unsound %d\n", checkDense, exactNo, refuted, refutedSparse, unsound);
    return unsound != 0;
  }
  clock_t t0 = clock(); tstart = t0;
  M all = allUnitsMask;
  if (checkQuestions > 0) {  // --check-forced-questions N: both --forced questions against brute force on random regions
    // Regions where the district exists (else both questions are trivially "cannot"); question (1)
    // asks about the most populous unit of the set found there, question (2) about a unit outside it.
    int agree = 0, undecided = 0, unsound = 0, no1 = 0, no2 = 0, no2dp = 0, skipped = 0;
    for (int t = 0; t < checkQuestions; t++) {
      int e = 1 + (int)(xorshift() % 3), r = droot[e];
      int size = 15 + (int)(xorshift() % 40); M blob = grow_random(BIT(droot[0]), ~banned[0] & ~BIT(r), size);
      M al = comp_of(BIT(r), all & ~blob & ~banned[e]);
      aloneLimit = 0; aloneMust = 0;
      if (!alone(al, BIT(r), 0, pop[r], land[r])) { skipped++; continue; }
      M inSet = aloneWitness & ~BIT(r), outSet = al & ~aloneWitness;
      if (!inSet || !outSet) { skipped++; continue; }
      // the units most likely to decide: the most populous of the set, and a random one of the two
      // outside it with the most land (the one most likely to break a band's top when held)
      int u1 = heaviest(inSet), u2 = -1, u3 = -1;
      for (M o = outSet; o; o &= o - 1) { int v = lowbit(o); if (u2 < 0 || land[v] > land[u2]) { u3 = u2; u2 = v; } else if (u3 < 0 || land[v] > land[u3]) u3 = v; }
      if (u3 >= 0 && (xorshift() & 1)) u2 = u3;
      // (1) can e be formed without u1?
      int v = one_district(al & ~BIT(u1), r, 1, 0, shortNodes, 0), fast1 = v == ONE_FOUND;
      bruteNodes = 0; bruteLimit = 30000000; int b1 = brute_set(al & ~BIT(u1), BIT(r), 0, pop[r], land[r], 0);
      // (2) can e be formed holding u2?
      aloneMust = BIT(u2); aloneLimit = 0; int fast2 = alone(al, BIT(r), 0, pop[r], land[r]); aloneMust = 0;
      int dp2 = dense_possible(al, r, lo, hi, 0, BIT(u2)); no2dp += !dp2;  // the dense relaxation holding u2 must not refute a set brute force finds
      bruteNodes = 0; int b2 = brute_set(al, BIT(r), 0, pop[r], land[r], BIT(u2));
      no1 += !fast1; no2 += !fast2;
      if (b1 < 0 || b2 < 0) { undecided++; continue; }
      if ((!fast1 && b1) || (!fast2 && b2) || (!dp2 && b2)) { unsound++; printf("UNSOUND region %d (district %c, units %s, %s)\n", t, 'A' + e, nm[u1], nm[u2]); continue; }
      if (fast1 != b1 || fast2 != b2) { printf("MISSED region %d\n", t); continue; }
      agree++;
    }
    printf("check-forced-questions: %d regions (%d without the district, skipped): %d agree with brute force, %d undecided by it, %d unsound; the search said 'cannot without u' in %d and 'cannot hold u' in %d (the dense relaxation holding u refuted %d)\n", checkQuestions, skipped, agree, undecided, unsound, no1, no2, no2dp);
    return unsound != 0;
  }
  if (checkMust > 0) {  // --check-must N: the bounds with required units against brute force on random regions
    int agree = 0, undecided = 0, unsound = 0, refutedSearch = 0, refutedDp = 0, skipped = 0;
    for (int t = 0; t < checkMust; t++) {
      int e = 1 + (int)(xorshift() % 3), r = droot[e];
      int size = 20 + (int)(xorshift() % 50); M blob = grow_random(BIT(droot[0]), ~banned[0] & ~BIT(r), size);
      M al = comp_of(BIT(r), all & ~blob & ~banned[e]);
      if (popcnt(al) < 4) { skipped++; continue; }
      M must = 0; int want = 1 + (int)(xorshift() % 3);  // 1 to 3 random units of the region besides the root
      for (int k = 0; k < want; k++) { M c = al & ~BIT(r) & ~must; int pick = (int)(xorshift() % popcnt(c)); while (pick--) c &= c - 1; must |= BIT(lowbit(c)); }
      aloneMust = must; aloneLimit = 0; int fast = alone(al, BIT(r), 0, pop[r], land[r]); aloneMust = 0;
      int dp = dense_possible(al, r, lo, hi, 0, must);
      if (fast && (must & ~aloneWitness)) { unsound++; printf("UNSOUND region %d: the search's set misses a required unit\n", t); continue; }
      bruteNodes = 0; bruteLimit = 30000000; int b = brute_set(al, BIT(r), 0, pop[r], land[r], must);
      refutedSearch += !fast; refutedDp += !dp;
      if (b < 0) { undecided++; continue; }
      if ((!fast && b) || (!dp && b)) { unsound++; printf("UNSOUND region %d (district %c, %d required units): search %d, dynamic program %d, brute force %d\n", t, 'A' + e, popcnt(must), fast, dp, b); continue; }
      if (fast != b) { printf("MISSED region %d\n", t); continue; }
      agree++;
    }
    printf("check-must: %d regions (%d too small): %d agree with brute force, %d undecided by it, %d unsound; the search refuted %d, the dense relaxation %d\n", checkMust, skipped, agree, undecided, unsound, refutedSearch, refutedDp);
    return unsound != 0;
  }
  if (checkForced) {  // --check-forced: find a plan without --forced, then every --forced fact must hold in it
    if (!solve_level(0, all)) { printf("check-forced: no plan at this tolerance\n"); return 2; }
    M plan[4], bannedBefore[4], forcedBefore[4];
    for (int e = 0; e < K; e++) { plan[e] = planM[e]; bannedBefore[e] = banned[e]; forcedBefore[e] = forcedIn[e]; }
    int rounds = 0; while (forced_pass(all)) rounds++;
    int facts = 0, wrong = 0;
    for (int e = 0; e < K; e++) {  // every unit put in e, and every ban the questions added, against the plan
      for (M m = forcedIn[e] & ~forcedBefore[e]; m; m &= m - 1) { int u = lowbit(m); facts++; if (!(plan[e] & BIT(u))) { wrong++; printf("WRONG: %s is not in district %c of the plan\n", nm[u], 'A' + e); } }
      for (M m = banned[e] & ~bannedBefore[e]; m; m &= m - 1) { int u = lowbit(m); facts++; if (plan[e] & BIT(u)) { wrong++; printf("WRONG: %s is in district %c of the plan\n", nm[u], 'A' + e); } }
    }
    printf("check-forced: %d facts (%d rounds), %d contradicted by the plan\n", facts, rounds + 1, wrong);
    return wrong != 0;
  }
  if (forcedMode) {
    int rounds = 0; while (forced_pass(all)) rounds++;
    M unplaceable = all; for (int e = 0; e < K; e++) unplaceable &= banned[e];
    fprintf(stderr, "--forced: %d rounds, %.1f CPU-s, %lld questions answered by a set found before%s\n", rounds + 1, (double)(clock() - t0) / CLOCKS_PER_SEC, forcedWitHits, unplaceable ? "; a unit fits no district" : "");
    if (unplaceable) { printf("D-root %s order %s: none  cpu %.1fs  (--forced: %s fits no district)\n", dRoot, ord, (double)(clock() - t0) / CLOCKS_PER_SEC, nm[lowbit(unplaceable)]); return 0; }
  }
  if (probes > 0) { // Knuth's estimator over the first level's tree (its internal nodes)
    probeMode = 1;
    int d0 = order[0]; M allowed0 = all & ~banned[d0]; for (int j = 1; j < K; j++) allowed0 &= ~BIT(droot[order[j]]);
    double sum = 0; long double sumSq = 0;
    for (int p = 0; p < probes; p++) {
      M S0 = BIT(droot[d0]), X0 = 0; double ps0 = pop[droot[d0]], ls0 = land[droot[d0]], weight = 1, est = 0;
      while (enum_sets(0, all, allowed0, S0, X0, ps0, ls0, 0, -1) == 2) {
        est += weight;
        int b = probeBest;
        int in = enum_sets(0, all, allowed0, S0 | BIT(b), X0, ps0 + pop[b], ls0 + land[b], 0, -1) == 2;
        int out = enum_sets(0, all, allowed0, S0, X0 | BIT(b), ps0, ls0, 0, -1) == 2;
        if (!in && !out) break;
        weight *= in + out;
        if (in && (!out || (xorshift() & 1))) { S0 |= BIT(b); ps0 += pop[b]; ls0 += land[b]; } else X0 |= BIT(b);
      }
      sum += est; sumSq += (long double)est * est;
    }
    double mean = sum / probes, var = (double)(sumSq / probes) - mean * mean;
    printf("D-root %s order %s: first level ~%.3g branching nodes (standard error %.2g), %d probes, cpu %.1fs", dRoot, ord, mean, sqrt(var > 0 ? var : 0) / sqrt(probes), probes, (double)(clock() - t0) / CLOCKS_PER_SEC);
    print_check_counters();
    printf("\n");
    return 0;
  }
  if (checkPairPlan > 0) {  // --check-pair-plan N: with a plan at hand, the pair check must pass on every part of its first district
    int keepPair = pairMode; pairMode = 0;
    if (!solve_level(0, all)) { printf("check-pair-plan: no plan at this tolerance\n"); return 2; }
    pairMode = keepPair;
    int d0 = order[0], refuted = 0, found = 0;
    for (int t = 0; t < checkPairPlan; t++) {
      int size = 1 + (int)(xorshift() % popcnt(planM[d0])); M part = grow_random(BIT(droot[d0]), planM[d0], size);
      pairWit = pairUnd = (SetRing){0};
      if (!pair_possible(all & ~part)) { refuted++; printf("UNSOUND: the pair check refutes a part of the plan's district (%d units)\n", popcnt(part)); }
      else found += pairFound != 0;
    }
    printf("check-pair-plan: %d parts of the plan's first district: the pair check refutes %d (unsound), finds a pair in %d, gives up on %d\n", checkPairPlan, refuted, found, checkPairPlan - refuted - found);
    return refuted != 0;
  }
  for (int k = 0; k < nNogoodsIn; k++) {  // after --forced: its facts only add required units, so more files apply
    if (read_nogoods(nogoodsIn[k], &nogoodsLoaded) < 0) fprintf(stderr, "--nogoods-in %s: unreadable or malformed (regions before the fault kept)\n", nogoodsIn[k]);
  }
  if (nNogoodsIn) fprintf(stderr, "--nogoods-in: %lld failed regions loaded\n", nogoodsLoaded);
  if (resumeFrom) {  // a missing file, or one written for another tree, means a start from the beginning
    FILE *rf = fopen(resumeFrom, "r");
    if (rf) {
      char pathTok[260]; unsigned long long fpr; long long before;
      if (fscanf(rf, "%259s %llx %lld", pathTok, &fpr, &before) != 3 || strspn(pathTok, "01-") != strlen(pathTok)) { fprintf(stderr, "--resume-from %s: malformed\n", resumeFrom); return 2; }
      fclose(rf);
      if (fpr != search_fingerprint())  // other facts, another tree: start afresh (always sound)
        fprintf(stderr, "--resume-from %s: written for another tree (fingerprint %016llx, this run %016llx); starting from the beginning\n", resumeFrom, fpr, search_fingerprint());
      else {
        if (strcmp(pathTok, "-")) { strcpy(resumePath, pathTok); resumeLen = (int)strlen(pathTok); }
        resumeOn = 1;
        fprintf(stderr, "--resume-from: skipping the subtrees finished before (depth %d; %lld first-level nodes before)\n", resumeLen, before);
      }
    }
  }
  searchStarted = 1;
  int ok = solve_level(0, all);
  write_nogoods();
  if (positionOut) remove(positionOut);  // the run ended: nothing to resume
  printf("D-root %s order %s: %s  cpu %.1fs", dRoot, ord, ok ? "PLAN" : (nodeLimit && nodes[0] > nodeLimit ? "LIMIT" : "none"), (double)(clock() - t0) / CLOCKS_PER_SEC);
  for (int k = 0; k < 3; k++) printf("  lv%d nodes %lld cands %lld", k, nodes[k], cands[k]);
  print_check_counters();
  printf("\n");
  if (ok) for (int k = 0; k < 4; k++) { double p, l; sums(planM[k], &p, &l); printf("district %c pop %.4f land %.4f:", 'A' + k, p, l); for (int i = 0; i < n; i++) if (planM[k] & BIT(i)) printf(" %s", nm[i]); printf("\n"); }
  return 0;
}
