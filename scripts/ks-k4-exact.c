// Exact search for KS-k4 (Kansas, k = 4, population and land area within +-tol, contiguous).
// Dev tooling only: not part of the package, and it does not replace the product's solvers.
//
// Build and run:
//   python3 scripts/ks-k4-graph.py datasets/districting-us-county/county20.json > ks.txt
//   cc -O2 -o ks-k4-exact scripts/ks-k4-exact.c -lm
//   ./ks-k4-exact ks.txt 0.05 ROOT ORDER [NODE_LIMIT] [--alone LETTERS [--alone-depth N]] [--part I/N] [--estimate PROBES]
// ROOT names the most populous county of district D; ORDER is the order in which the districts are
// enumerated, e.g. ADBC. Prints PLAN with the four districts, "none" (this case has no plan) or
// LIMIT; progress goes to stderr every 5e7 nodes.
//   --alone LETTERS  at every node of the first level, also require that each named later district
//                    (e.g. D) can still be formed on its own in what is left: an exact one-district
//                    search, skipped while the last set it found is still untouched.
//   --alone-depth N  only at nodes where at most N units have been decided (included or excluded)
//   --part I/N       search only every N-th subtree (the I-th, 0-based) below depth 14 of the first
//                    level, so N processes with I = 0..N-1 share one case; the case has no plan
//                    only when every part prints "none".
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
static long long nodeLimit = 0; static int depth0 = 0; static char path0[256]; static long long totalNodes = 0; static clock_t tstart;
static int popcnt(M m) { return __builtin_popcountll((unsigned long long)m) + __builtin_popcountll((unsigned long long)(m >> 64)); }
static int lowbit(M m) { unsigned long long l = (unsigned long long)m; if (l) return __builtin_ctzll(l); return 64 + __builtin_ctzll((unsigned long long)(m >> 64)); }
static M comp_of(M seed, M allowed) { // BFS closure of seed within allowed
  M c = seed & allowed, fr = c;
  while (fr) { M nf = 0; M t = fr; while (t) { int v = lowbit(t); t &= t - 1; nf |= nbm[v]; } nf &= allowed & ~c; c |= nf; fr = nf; }
  return c;
}
static void sums(M s, double *p, double *l) { double a = 0, b = 0; while (s) { int v = lowbit(s); s &= s - 1; a += pop[v]; b += land[v]; } *p = a; *l = b; }
static M planM[4];
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

// Can a connected district grown from S (population ps, land ls) through pool reach both bands'
// bottoms without breaking their tops? Fractional knapsacks over the vertices whose cheapest path
// from S (population- and land-weighted) stays within the tops. Necessary, not sufficient.
static M firstPassPool; // after each call: the vertices the first (population) pass kept; the bound ignores every other vertex
static int can_complete(M S, M pool, double ps, double ls) {
  firstPassPool = 0;
  if (ps > hi || ls > hi) return 0;
  double dp[128], dl[128];
  for (int v = 0; v < n; v++) { dp[v] = 1e9; dl[v] = 1e9; }
  M t = S; while (t) { int v = lowbit(t); t &= t - 1; dp[v] = 0; dl[v] = 0; }
  for (int pass = 0; pass < 2; pass++) {
    double *dd = pass ? dl : dp; const double *w = pass ? land : pop; double budget = pass ? hi - ls : hi - ps;
    M done = 0, open = S;
    while (open) {
      int b = -1; M o = open; while (o) { int v = lowbit(o); o &= o - 1; if (b < 0 || dd[v] < dd[b]) b = v; }
      open &= ~BIT(b); done |= BIT(b);
      M nbv = nbm[b] & pool & ~done;
      while (nbv) { int u = lowbit(nbv); nbv &= nbv - 1; double c = dd[b] + w[u]; if (c < dd[u] && c <= budget + 1e-12) { dd[u] = c; open |= BIT(u); } }
    }
    M keep = 0; M q = pool; while (q) { int v = lowbit(q); q &= q - 1; if (dd[v] <= budget + 1e-12) keep |= BIT(v); }
    pool = keep;
    if (pass == 0) firstPassPool = keep;
  }
  if (ls < lo) { double need = lo - ls, pp = ps; for (int k = 0; k < n && need > 0; k++) { int v = byDensAsc[k]; if (!(pool & BIT(v))) continue; double f = land[v] < need ? 1 : need / land[v]; pp += f * pop[v]; need -= f * land[v]; } if (need > 1e-12 || pp > hi) return 0; }
  if (ps < lo) { double bud = hi - ls, pp = ps; for (int k = 0; k < n && bud > 0; k++) { int v = byDensDesc[k]; if (!(pool & BIT(v))) continue; double f = land[v] < bud ? 1 : bud / land[v]; pp += f * pop[v]; bud -= f * land[v]; } if (pp < lo) return 0; }
  return 1;
}
// Can district e (root r) be formed on its own inside allowed: a connected set containing r that
// meets both bands? Exact (same branching and bounds as a level); on success aloneWitness holds
// the set, which stays a witness for as long as the caller's available units still contain it.
static long long aloneNodes, aloneCalls, alonePrunes; static M aloneWitness, witness[4]; static int aloneMask, aloneDepth = 1000;
static int alone(M allowed, M S, M X, double ps, double ls) {
  aloneNodes++;
  if (ps > hi || ls > hi) return 0;
  M reach = comp_of(S, allowed & ~X);
  if (!can_complete(S, reach & ~S, ps, ls)) return 0;
  if (ps >= lo && ls >= lo) { aloneWitness = S; return 1; }
  M front = frontier(S, allowed & ~X);
  if (!front) return 0;
  int best = heaviest(front);
  if (alone(allowed, S | BIT(best), X, ps + pop[best], ls + land[best])) return 1;
  return alone(allowed, S, X | BIT(best), ps, ls);
}
// --estimate: the first level stops at each branching node and reports the vertex it would branch on
static int probeMode, probeBest;
// --part I/N: the first level keeps every N-th subtree (the I-th) at depth PART_DEPTH
static int partIndex, partCount = 1; static long long partCounter;
#define PART_DEPTH 14
static unsigned long long rng = 88172645463325252ULL;
static unsigned long long xorshift(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
// enumerate connected S ∋ root within allowed; X = excluded
// parentPools (nullable): each later district's first-pass pool at the parent node; added: the vertex
// the parent moved into S (-1 when it excluded one). A later district's check only reads S through
// that pool (and never reads X), so it is skipped when the parent passed it and the change is an
// exclusion or lies outside the pool.
static int enum_sets(int lv, M avail, M allowed, M S, M X, double ps, double ls, const M *parentPools, int added) {
  int d = order[lv];
  if (nodeLimit && nodes[lv] > nodeLimit) return 0;
  nodes[lv]++;
  if (++totalNodes % 50000000 == 0) { double pr = 0, w = 0.5; for (int i = 0; i < depth0 && i < 60; i++, w /= 2) if (path0[i]) pr += w;
    fprintf(stderr, "  ... %.0fs lv0 %lld (%lld cands) lv1 %lld lv2 %lld, level-0 tree explored ~%.6f\n", (double)(clock()-tstart)/CLOCKS_PER_SEC, nodes[0], cands[0], nodes[1], nodes[2], pr); }
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
      if (!can_complete(BIT(r), region & ~BIT(r), pop[r], land[r])) return 0;
      pools[e] = firstPassPool;
    }
  }
  M reach = comp_of(S, allowed & ~X);
  if (!can_complete(S, reach & ~S, ps, ls)) return 0;
  if (lv == 0 && popcnt(S) + popcnt(X) <= aloneDepth + 1) for (int j = 1; j < K; j++) { // --alone: the later district must still exist on its own
    int e = order[j];
    if (!((aloneMask >> e) & 1)) continue;
    if (witness[e] && !(witness[e] & ~(avail & ~S))) continue;
    M al = avail & ~S & ~banned[e]; for (int q = 1; q < K; q++) if (q != j) al &= ~BIT(droot[order[q]]);
    aloneCalls++;
    if (!alone(al, BIT(droot[e]), 0, pop[droot[e]], land[droot[e]])) { alonePrunes++; return 0; }
    witness[e] = aloneWitness;
  }
  M front = frontier(S, allowed & ~X);
  if (!front) {
    if (ps < lo || ls < lo) return 0;
    cands[lv]++;
    M rest = avail & ~S;
    if (!rest_ok(lv, rest)) return 0;
    planM[d] = S;
    if (probeMode) return 0;
    return solve_level(lv + 1, rest);
  }
  int best = heaviest(front);
  if (probeMode && lv == 0) { probeBest = best; return 2; }
  if (lv == 0 && partCount > 1 && depth0 == PART_DEPTH && partCounter++ % partCount != partIndex) return 0;
  if (lv == 0) { path0[depth0++] = 0; }
  if (enum_sets(lv, avail, allowed, S | BIT(best), X, ps + pop[best], ls + land[best], pools, best)) return 1;
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
  FILE *f = fopen(argv[1], "r"); tol = atof(argv[2]);
  const char *dRoot = argv[3]; const char *ord = argv[4]; // e.g. "DABC"
  int probes = 0;
  for (int a = 5; a < argc; a++) {
    if (!strcmp(argv[a], "--alone") && a + 1 < argc) { for (const char *c = argv[++a]; *c; c++) aloneMask |= 1 << (*c - 'A'); }
    else if (!strcmp(argv[a], "--alone-depth") && a + 1 < argc) aloneDepth = atoi(argv[++a]);
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
  for (int k = 0; k < 4; k++) order[k] = ord[k] - 'A';
  for (int i = 0; i < n; i++) byDensAsc[i] = byDensDesc[i] = i;
  for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) {
    if (pop[byDensAsc[j]] / land[byDensAsc[j]] < pop[byDensAsc[i]] / land[byDensAsc[i]]) { int t = byDensAsc[i]; byDensAsc[i] = byDensAsc[j]; byDensAsc[j] = t; }
    if (pop[byDensDesc[j]] / land[byDensDesc[j]] > pop[byDensDesc[i]] / land[byDensDesc[i]]) { int t = byDensDesc[i]; byDensDesc[i] = byDensDesc[j]; byDensDesc[j] = t; }
  }
  clock_t t0 = clock(); tstart = t0;
  M all = (n == 128) ? ~(M)0 : (BIT(n) - 1);
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
    if (aloneMask) printf("; alone checks %lld (%lld nodes) pruned %lld", aloneCalls, aloneNodes, alonePrunes);
    printf("\n");
    return 0;
  }
  int ok = solve_level(0, all);
  printf("D-root %s order %s: %s  cpu %.1fs", dRoot, ord, ok ? "PLAN" : (nodeLimit && (nodes[0] > nodeLimit || nodes[1] > nodeLimit || nodes[2] > nodeLimit) ? "LIMIT" : "none"), (double)(clock() - t0) / CLOCKS_PER_SEC);
  for (int k = 0; k < 3; k++) printf("  lv%d nodes %lld cands %lld", k, nodes[k], cands[k]);
  if (aloneMask) printf("  alone checks %lld (%lld nodes) pruned %lld", aloneCalls, aloneNodes, alonePrunes);
  printf("\n");
  if (ok) for (int k = 0; k < 4; k++) { double p, l; sums(planM[k], &p, &l); printf("district %c pop %.4f land %.4f:", 'A' + k, p, l); for (int i = 0; i < n; i++) if (planM[k] & BIT(i)) printf(" %s", nm[i]); printf("\n"); }
  return 0;
}
