// Frontier dynamic program over a vertex order: decides whether a graph can be split into K
// connected districts whose population and land area both lie within +-tol of the mean, where
// districts 0..K-2 hold given roots and district K-1 is "the rest" (it holds none of the roots).
// Dev tooling only: not part of the package, and it does not replace the product's solvers.
//
// Build and run:
//   python3 scripts/ks-k4-graph.py datasets/districting-us-county/county20.json > ks.txt
//   cc -O2 -o ks-k4-frontier scripts/ks-k4-frontier.c -lm
//   ./ks-k4-frontier ks.txt TOL_PERMILLE [--roots Johnson,Sedgwick,Wyandotte] [--pop-step N]
//                    [--land-step M2] [--key-lo] [--key ApAlBpBlCpCl] [--key-closed]
//                    [--no-knapsack] [--start NAME] [--max-states N] [--brute]
//   --key-lo       merge on the buckets of the interval's low ends only (fewer, wider states)
//   --key          which rooted districts' population (p) and land (l) buckets form the merge key
//   --key-closed   keep closed districts' buckets in the key (needed for exact counting)
//   --start NAME   first vertex of the sweep (default: the start whose greedy order has the
//                  narrowest frontier)
//   --max-states N stop with LIMIT when a layer holds more than N states
// Prints "relaxation infeasible" (a proof: no plan exists), or "relaxation feasible" with the
// number of surviving final states (with --pop-step 1 --land-step 1 the program is exact and the
// count is the number of plans).
//
// Why it is a proof. The program sweeps the vertices in a fixed order. A state records, for each
// frontier vertex (decided, with an undecided neighbour), its district and which frontier vertices
// of the same district are already connected through decided vertices; each district's status
// (not started, open, closed); and for each district an interval [lo, hi] that contains its
// decided population and land area. Every labelling of the decided vertices that can still grow
// into a plan maps to a state whose intervals contain its true sums. States that agree on the
// frontier and statuses and whose interval ends fall into the same buckets (width --pop-step,
// --land-step) are merged into one state with the union of the intervals, which keeps that
// property. A state is dropped only when its intervals prove that no completion meets the bands,
// or when a district would be disconnected. So if no state survives the last vertex, no plan
// exists. Land is stored in units of 1,000 m^2, rounded outward per vertex (lo down, hi up), so
// rounding only widens intervals.
//
// --brute enumerates all K^(n-K+1) labellings instead (small test graphs only) and prints the
// number of plans, to check the program in exact mode.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ks-sweep.h"

#define MAXN 128
#define MAXF 24
#define K 4
static int n, deg[MAXN], nb[MAXN][16];
static long long popv[MAXN], landv[MAXN];  // land in m^2
static int32_t landLo[MAXN], landHi[MAXN];  // land in 1,000 m^2, rounded outward
static char nm[MAXN][40];
static int rootOf[MAXN];  // district a vertex is forced into, or -1
static int rootVertex[K];  // root of each rooted district
static long long Lpop, Upop, Lland, Uland;  // bands: population exact; land in m^2
static int32_t LlandK, UlandK;               // land bands in 1,000 m^2 (outward-safe, see main)
static int32_t popStep = 1000, landStep = 100000;  // bucket widths (people; 1,000 m^2)

// Sweep order and frontier sets.
static int ord[MAXN], pos[MAXN];
static int fsz[MAXN + 1], fr[MAXN + 1][MAXF];  // frontier after i vertices are decided
static long long remPop[MAXN + 1]; static int32_t remLandHi[MAXN + 1], remLandLo[MAXN + 1];
static long long prePop[MAXN + 1]; static int32_t preLandHi[MAXN + 1], preLandLo[MAXN + 1];  // decided totals

typedef struct {
  uint8_t f[MAXF];  // label << 5 | component id
  uint8_t status;   // 2 bits per district: 0 not started, 1 open, 2 closed
  uint8_t pad[3];
  int32_t plo[K], phi[K], llo[K], lhi[K];
  double count;     // number of labellings merged into this state (exact in exact mode)
} State;

static State *cur, *nxt; static size_t curN, nxtN, nxtCap;
static uint32_t *table; static size_t tableCap;

// The merge key holds the buckets of the rooted districts that are not closed. The rest district's
// interval is implied by them (decided total minus theirs) and is stored as a union; a closed
// district's interval only feeds that implication.
static int keyClosed = 0, keyLoOnly = 0;  // --key-closed, --key-lo
static int keyPop[K] = {1, 1, 1, 0}, keyLand[K] = {1, 1, 1, 0};  // --key, e.g. ApAlBlCl
static inline int inKey(const State *s, int d) { return d != K - 1 && (keyClosed || ((s->status >> (2 * d)) & 3) != 2); }
static inline int32_t bucket(int32_t v, int32_t step) { return v >= 0 ? v / step : -((-v + step - 1) / step); }
static uint64_t keyHash(const State *s, int F) {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < F; i++) { h ^= s->f[i]; h *= 1099511628211ull; }
  h ^= s->status; h *= 1099511628211ull;
  for (int d = 0; d < K; d++) {
    if (!inKey(s, d)) continue;
    if (keyPop[d]) {
      h ^= (uint32_t)bucket(s->plo[d], popStep); h *= 1099511628211ull;
      if (!keyLoOnly) { h ^= (uint32_t)bucket(s->phi[d], popStep); h *= 1099511628211ull; }
    }
    if (keyLand[d]) {
      h ^= (uint32_t)bucket(s->llo[d], landStep); h *= 1099511628211ull;
      if (!keyLoOnly) { h ^= (uint32_t)bucket(s->lhi[d], landStep); h *= 1099511628211ull; }
    }
  }
  return h ^ (h >> 29);
}
static int sameKey(const State *a, const State *b, int F) {
  if (a->status != b->status || memcmp(a->f, b->f, F)) return 0;
  for (int d = 0; d < K; d++)
    if (inKey(a, d)) {
      if (keyPop[d] && (bucket(a->plo[d], popStep) != bucket(b->plo[d], popStep) || (!keyLoOnly && bucket(a->phi[d], popStep) != bucket(b->phi[d], popStep)))) return 0;
      if (keyLand[d] && (bucket(a->llo[d], landStep) != bucket(b->llo[d], landStep) || (!keyLoOnly && bucket(a->lhi[d], landStep) != bucket(b->lhi[d], landStep)))) return 0;
    }
  return 1;
}
static void tableReset(size_t want) {
  size_t cap = 1024; while (cap < 2 * want) cap <<= 1;
  if (cap != tableCap) { free(table); table = malloc(cap * sizeof *table); tableCap = cap; if (!table) { fprintf(stderr, "out of memory\n"); exit(3); } }
  memset(table, 0xff, tableCap * sizeof *table);
}
static void insert(const State *s, int F) {
  if (2 * (nxtN + 1) > tableCap) {  // grow and rehash
    tableReset(2 * (nxtN + 1));
    for (size_t i = 0; i < nxtN; i++) { size_t h = keyHash(&nxt[i], F) & (tableCap - 1); while (table[h] != UINT32_MAX) h = (h + 1) & (tableCap - 1); table[h] = (uint32_t)i; }
  }
  size_t h = keyHash(s, F) & (tableCap - 1);
  while (table[h] != UINT32_MAX) {
    State *t = &nxt[table[h]];
    if (sameKey(t, s, F)) {
      for (int d = 0; d < K; d++) {
        if (s->plo[d] < t->plo[d]) t->plo[d] = s->plo[d];
        if (s->phi[d] > t->phi[d]) t->phi[d] = s->phi[d];
        if (s->llo[d] < t->llo[d]) t->llo[d] = s->llo[d];
        if (s->lhi[d] > t->lhi[d]) t->lhi[d] = s->lhi[d];
      }
      t->count += s->count; return;
    }
    h = (h + 1) & (tableCap - 1);
  }
  if (nxtN == nxtCap) { nxtCap = nxtCap ? 2 * nxtCap : 1 << 16; nxt = realloc(nxt, nxtCap * sizeof *nxt); if (!nxt) { fprintf(stderr, "out of memory\n"); exit(3); } }
  if (nxtN >= UINT32_MAX) { fprintf(stderr, "too many states\n"); exit(3); }
  nxt[nxtN] = *s; table[h] = (uint32_t)nxtN; nxtN++;
}

// A rooted district whose root is still undecided will take the root: its sums count it already.
static void effective(const State *s, int i, State *e) {
  *e = *s;
  for (int d = 0; d < K - 1; d++) {
    int r = rootVertex[d];
    if (pos[r] >= i) { e->plo[d] += (int32_t)popv[r]; e->phi[d] += (int32_t)popv[r]; e->llo[d] += landLo[r]; e->lhi[d] += landHi[r]; }
  }
}
// Interval bounds: can this state still be completed? `i` vertices are decided.
static int boundsOK(const State *s0, int i) {
  State e; effective(s0, i, &e); const State *s = &e;
  long long needP = 0, roomP = 0; long long needL = 0, roomL = 0;
  for (int d = 0; d < K; d++) {
    int st = (s->status >> (2 * d)) & 3;
    if (st == 2) continue;
    if (s->plo[d] > Upop || s->llo[d] > UlandK) return 0;
    if (s->phi[d] + remPop[i] < Lpop || s->lhi[d] + remLandHi[i] < LlandK) return 0;
    if (s->phi[d] < Lpop) needP += Lpop - s->phi[d];
    if (s->lhi[d] < LlandK - 1) needL += LlandK - 1 - s->lhi[d];  // Lland - true sum > (LlandK - 1 - hi) * 1000
    roomP += Upop - s->plo[d]; roomL += UlandK + 1 - s->llo[d];      // Uland - true sum < (UlandK + 1 - lo) * 1000
  }
  if (needP > remPop[i] || needL > remLandHi[i]) return 0;  // the rest cannot lift every open district
  // the rest (less the undecided roots, already counted in their districts) must fit under the tops
  long long restP = remPop[i], restL = remLandLo[i];
  for (int d = 0; d < K - 1; d++) if (pos[rootVertex[d]] >= i) { restP -= popv[rootVertex[d]]; restL -= landLo[rootVertex[d]]; }
  if (roomP < restP || roomL < restL) return 0;
  return 1;
}

// Fractional-knapsack bounds on the undecided vertices (suffix i of the order): sorted by
// population density, sparsest first, with cumulative land (m^2) and population.
static double sufLand[MAXN + 1][MAXN + 1], sufPop[MAXN + 1][MAXN + 1]; static int sufN[MAXN + 1];
static int knapsack = 1;
static size_t maxStates = 0;  // --max-states: give up when a layer holds more
static int startVertex = -1; static const char *startName = NULL;  // --start NAME
// Least population that buys `land` m^2 from suffix i (fractional); +inf when there is not that much.
static double minPopForLand(int i, double land) {
  if (land <= 0) return 0;
  int m = sufN[i]; if (land > sufLand[i][m]) return 1e18;
  int lo = 0, hi = m;  // smallest j with sufLand[i][j] >= land
  while (lo < hi) { int mid = (lo + hi) / 2; if (sufLand[i][mid] >= land) hi = mid; else lo = mid + 1; }
  if (lo == 0) return 0;
  double l0 = sufLand[i][lo - 1], l1 = sufLand[i][lo], p0 = sufPop[i][lo - 1], p1 = sufPop[i][lo];
  return p0 + (p1 - p0) * (land - l0) / (l1 - l0);
}
// Least land (m^2) that buys `pop` people from suffix i, densest first: total land minus the most
// land that leaves at most (total - pop) people, i.e. minPopForLand read backwards.
static double minLandForPop(int i, double pop) {
  if (pop <= 0) return 0;
  int m = sufN[i]; double tp = sufPop[i][m], tl = sufLand[i][m];
  if (pop > tp) return 1e18;
  // the sparsest vertices left out hold at most tp - pop people: find the land they can hold
  double budget = tp - pop; int lo = 0, hi = m;  // largest j with sufPop[i][j] <= budget
  while (lo < hi) { int mid = (lo + hi + 1) / 2; if (sufPop[i][mid] <= budget) lo = mid; else hi = mid - 1; }
  double outLand = sufLand[i][lo];
  if (lo < m) { double p0 = sufPop[i][lo], p1 = sufPop[i][lo + 1], l0 = sufLand[i][lo], l1 = sufLand[i][lo + 1]; if (p1 > p0) outLand = l0 + (l1 - l0) * (budget - p0) / (p1 - p0); }
  return tl - outLand;
}
// Every subset of the districts that are not closed must take its missing land without breaking
// its population tops, and its missing population without breaking its land tops.
static int knapsackOK(const State *s0, int i) {
  State e; effective(s0, i, &e); const State *s = &e;
  int open[K], m = 0;
  for (int d = 0; d < K; d++) if (((s->status >> (2 * d)) & 3) != 2) open[m++] = d;
  for (int mask = 1; mask < (1 << m); mask++) {
    double needL = 0, budP = 0, needP = 0, budL = 0;
    for (int j = 0; j < m; j++) if (mask >> j & 1) {
      int d = open[j];
      double nl = (double)Lland - 1000.0 * s->lhi[d]; if (nl > 0) needL += nl;
      budP += (double)(Upop - s->plo[d]);
      double np = (double)(Lpop - s->phi[d]); if (np > 0) needP += np;
      budL += (double)Uland - 1000.0 * s->llo[d];
    }
    // 1e-6 relative slack against rounding in the interpolation
    if (needL > 0 && minPopForLand(i, needL) > budP * (1 + 1e-9) + 1e-6) return 0;
    if (needP > 0 && minLandForPop(i, needP) > budL * (1 + 1e-9) + 1e-3) return 0;
  }
  return 1;
}

static void chooseOrder(void) {
  if (sweep_order(n, deg, (const int (*)[16])nb, startVertex, ord, pos, fsz, &fr[0][0], MAXF) < 0) { fprintf(stderr, "frontier wider than %d\n", MAXF); exit(3); }
  remPop[n] = 0; remLandHi[n] = remLandLo[n] = 0;
  for (int i = 0; i <= n; i++) {
    int idx[MAXN], m = 0; for (int k = i; k < n; k++) idx[m++] = ord[k];
    for (int a = 1; a < m; a++) { int x = idx[a], b = a - 1; while (b >= 0 && (double)popv[idx[b]] * landv[x] > (double)popv[x] * landv[idx[b]]) { idx[b + 1] = idx[b]; b--; } idx[b + 1] = x; }
    sufN[i] = m; sufLand[i][0] = sufPop[i][0] = 0;
    for (int j = 0; j < m; j++) { sufLand[i][j + 1] = sufLand[i][j] + landv[idx[j]]; sufPop[i][j + 1] = sufPop[i][j] + popv[idx[j]]; }
  }
  prePop[0] = 0; preLandHi[0] = preLandLo[0] = 0;
  for (int i = 0; i < n; i++) { prePop[i + 1] = prePop[i] + popv[ord[i]]; preLandHi[i + 1] = preLandHi[i] + landHi[ord[i]]; preLandLo[i + 1] = preLandLo[i] + landLo[ord[i]]; }
  for (int i = n - 1; i >= 0; i--) { remPop[i] = remPop[i + 1] + popv[ord[i]]; remLandHi[i] = remLandHi[i + 1] + landHi[ord[i]]; remLandLo[i] = remLandLo[i + 1] + landLo[ord[i]]; }
}

static int connectedLabelling(const int *lab) {
  for (int d = 0; d < K; d++) {
    int seen[MAXN] = {0}, stack[MAXN], sp = 0, start = -1, total = 0, reached = 0;
    for (int v = 0; v < n; v++) if (lab[v] == d) { total++; if (start < 0) start = v; }
    if (!total) return 0;
    stack[sp++] = start; seen[start] = 1;
    while (sp) { int v = stack[--sp]; reached++; for (int j = 0; j < deg[v]; j++) { int u = nb[v][j]; if (!seen[u] && lab[u] == d) { seen[u] = 1; stack[sp++] = u; } } }
    if (reached != total) return 0;
  }
  return 1;
}
static long long brute(void) {
  int lab[MAXN], free_[MAXN], nf = 0; long long plans = 0;
  for (int v = 0; v < n; v++) { lab[v] = rootOf[v] >= 0 ? rootOf[v] : 0; if (rootOf[v] < 0) free_[nf++] = v; }
  for (;;) {
    long long p[K] = {0}, l[K] = {0}; int ok = 1;
    for (int v = 0; v < n; v++) { p[lab[v]] += popv[v]; l[lab[v]] += landv[v]; }
    for (int d = 0; d < K; d++) if (p[d] < Lpop || p[d] > Upop || l[d] < Lland || l[d] > Uland) ok = 0;
    if (ok && connectedLabelling(lab)) plans++;
    int j = 0; while (j < nf && lab[free_[j]] == K - 1) { lab[free_[j]] = 0; j++; }
    if (j == nf) break;
    lab[free_[j]]++;
  }
  return plans;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: %s GRAPH TOL_PERMILLE [--roots A,B,C] [--pop-step N] [--land-step M2] [--brute]\n", argv[0]); return 2; }
  FILE *f = fopen(argv[1], "r"); if (!f) { perror(argv[1]); return 2; }
  int tolPermille = atoi(argv[2]); const char *roots = "Johnson,Sedgwick,Wyandotte"; int doBrute = 0;
  long long landStepM2 = 100000000;  // 100 km^2
  for (int a = 3; a < argc; a++) {
    if (!strcmp(argv[a], "--roots") && a + 1 < argc) roots = argv[++a];
    else if (!strcmp(argv[a], "--pop-step") && a + 1 < argc) popStep = atoi(argv[++a]);
    else if (!strcmp(argv[a], "--land-step") && a + 1 < argc) landStepM2 = atoll(argv[++a]);
    else if (!strcmp(argv[a], "--brute")) doBrute = 1;
    else if (!strcmp(argv[a], "--key-closed")) keyClosed = 1;
    else if (!strcmp(argv[a], "--key-lo")) keyLoOnly = 1;
    else if (!strcmp(argv[a], "--no-knapsack")) knapsack = 0;
    else if (!strcmp(argv[a], "--start") && a + 1 < argc) startName = argv[++a];
    else if (!strcmp(argv[a], "--max-states") && a + 1 < argc) maxStates = (size_t)atoll(argv[++a]);
    else if (!strcmp(argv[a], "--key") && a + 1 < argc) {
      for (int d2 = 0; d2 < K; d2++) keyPop[d2] = keyLand[d2] = 0;
      for (const char *c = argv[++a]; c[0] && c[1]; c += 2) { int d2 = c[0] - 'A'; if (d2 < 0 || d2 >= K - 1) { fprintf(stderr, "--key wants pairs like ApAl\n"); return 2; } if (c[1] == 'p') keyPop[d2] = 1; else keyLand[d2] = 1; }
    }
    else { fprintf(stderr, "unknown argument %s\n", argv[a]); return 2; }
  }
  if (fscanf(f, "%d", &n) != 1 || n < 1 || n > MAXN) { fprintf(stderr, "bad vertex count\n"); return 2; }
  for (int i = 0; i < n; i++) {
    if (fscanf(f, "%lld %lld %d", &popv[i], &landv[i], &deg[i]) != 3 || deg[i] > 16) { fprintf(stderr, "bad line %d\n", i + 2); return 2; }
    for (int j = 0; j < deg[i]; j++) if (fscanf(f, "%d", &nb[i][j]) != 1 || nb[i][j] < 0 || nb[i][j] >= n) { fprintf(stderr, "bad neighbour on line %d\n", i + 2); return 2; }
    if (fscanf(f, "%39s", nm[i]) != 1) { fprintf(stderr, "missing name on line %d\n", i + 2); return 2; }
    rootOf[i] = -1;
    landLo[i] = (int32_t)(landv[i] / 1000); landHi[i] = (int32_t)((landv[i] + 999) / 1000);
  }
  int d = 0;
  for (const char *c = roots; *c && d < K - 1; d++) {
    const char *e = strchr(c, ','); size_t len = e ? (size_t)(e - c) : strlen(c); int found = -1;
    for (int i = 0; i < n; i++) if (strlen(nm[i]) == len && !strncmp(nm[i], c, len)) found = i;
    if (found < 0) { fprintf(stderr, "root %.*s not found\n", (int)len, c); return 2; }
    rootOf[found] = d; rootVertex[d] = found; c = e ? e + 1 : c + len;
  }
  if (d != K - 1) { fprintf(stderr, "need %d roots\n", K - 1); return 2; }
  if (landStepM2 < 1000) landStepM2 = 1000;
  landStep = (int32_t)(landStepM2 / 1000);
  long long tp = 0, tl = 0; for (int i = 0; i < n; i++) { tp += popv[i]; tl += landv[i]; }
  // value within +-tol of the mean  <=>  (1000 - t) * total <= 1000 * K * value <= (1000 + t) * total
  Lpop = ((1000 - tolPermille) * tp + 1000LL * K - 1) / (1000LL * K); Upop = ((1000 + tolPermille) * tp) / (1000LL * K);
  Lland = ((1000 - tolPermille) * tl + 1000LL * K - 1) / (1000LL * K); Uland = ((1000 + tolPermille) * tl) / (1000LL * K);
  // Interval [lo, hi] (1,000 m^2 units) can reach the band iff hi * 1000 >= Lland and lo * 1000 <= Uland.
  LlandK = (int32_t)((Lland + 999) / 1000); UlandK = (int32_t)(Uland / 1000);
  if (startName) { for (int i = 0; i < n; i++) if (!strcmp(nm[i], startName)) startVertex = i; if (startVertex < 0) { fprintf(stderr, "start %s not found\n", startName); return 2; } }
  if (doBrute) { printf("plans %lld\n", brute()); return 0; }
  chooseOrder();
  int maxF = 0; for (int i = 0; i <= n; i++) if (fsz[i] > maxF) maxF = fsz[i];
  fprintf(stderr, "bands: population %lld..%lld, land %lld..%lld m^2; order's widest frontier %d\n", Lpop, Upop, Lland, Uland, maxF);
  clock_t t0 = clock();
  State s0; memset(&s0, 0, sizeof s0); s0.count = 1;
  cur = malloc(sizeof(State)); cur[0] = s0; curN = 1;
  size_t peak = 0;
  for (int i = 0; i < n; i++) {
    int v = ord[i];
    nxtN = 0; tableReset(curN < 1024 ? 1024 : curN);
    // Map old frontier positions; the new frontier is fr[i + 1].
    int oldF = fsz[i], newF = fsz[i + 1];
    int newIdx[MAXF + 1];  // for each new frontier slot: old slot, or oldF for v
    for (int k = 0; k < newF; k++) { int u = fr[i + 1][k]; newIdx[k] = -1; if (u == v) newIdx[k] = oldF; else for (int q = 0; q < oldF; q++) if (fr[i][q] == u) newIdx[k] = q; }
    int nbSlot[16], nnb = 0;  // old frontier slots of v's decided neighbours
    for (int j = 0; j < deg[v]; j++) { int u = nb[v][j]; if (pos[u] < i) for (int q = 0; q < oldF; q++) if (fr[i][q] == u) nbSlot[nnb++] = q; }
    for (size_t si = 0; si < curN; si++) {
      const State *s = &cur[si];
      for (int lab = 0; lab < K; lab++) {
        if (rootOf[v] >= 0 && rootOf[v] != lab) continue;
        int st = (s->status >> (2 * lab)) & 3;
        if (st == 2) continue;
        State t = *s;
        uint8_t lbl[MAXF + 1], comp[MAXF + 1];
        for (int q = 0; q < oldF; q++) { lbl[q] = s->f[q] >> 5; comp[q] = s->f[q] & 31; }
        // v's component: a fresh id, merged with its same-label decided neighbours' components.
        uint8_t vc = 30; lbl[oldF] = (uint8_t)lab; comp[oldF] = vc;
        for (int j = 0; j < nnb; j++) {
          int q = nbSlot[j];
          if (lbl[q] != lab) continue;
          uint8_t c = comp[q]; if (c == vc) continue;
          for (int r = 0; r <= oldF; r++) if (comp[r] == c && lbl[r] == lab) comp[r] = vc;
        }
        t.status = (uint8_t)((t.status & ~(3 << (2 * lab))) | (1 << (2 * lab)));
        t.plo[lab] += (int32_t)popv[v]; t.phi[lab] += (int32_t)popv[v]; t.llo[lab] += landLo[v]; t.lhi[lab] += landHi[v];
        // Components that leave the frontier entirely close their district.
        int ok = 1; int closedBy[K] = {-1, -1, -1, -1};
        for (int q = 0; q <= oldF && ok; q++) {
          int stays = 0; for (int k = 0; k < newF; k++) if (newIdx[k] == q) stays = 1;
          if (stays) continue;
          uint8_t c = comp[q], l = lbl[q]; int compStays = 0, labelStays = 0;
          for (int k = 0; k < newF; k++) { int r = newIdx[k]; if (lbl[r] == l) { labelStays = 1; if (comp[r] == c) compStays = 1; } }
          if (compStays) continue;
          if (((t.status >> (2 * l)) & 3) == 2) {  // closed in this step: by this component, or a second piece
            if (closedBy[l] != c) ok = 0;
            continue;
          }
          if (labelStays) { ok = 0; break; }  // another piece of the district lives on: disconnected
          if (t.plo[l] > Upop || t.phi[l] < Lpop || t.llo[l] > UlandK || t.lhi[l] < LlandK) { ok = 0; break; }
          t.status = (uint8_t)((t.status & ~(3 << (2 * l))) | (2 << (2 * l))); closedBy[l] = c;
        }
        if (!ok) continue;
        // A closed district must not be wanted again: a root of it still undecided kills the state.
        for (int d2 = 0; d2 < K - 1; d2++) if (pos[rootVertex[d2]] > i && ((t.status >> (2 * d2)) & 3) == 2) ok = 0;
        if (!ok) continue;
        // Canonical component ids in the new frontier.
        uint8_t map[32]; memset(map, 0xff, sizeof map); uint8_t next = 0;
        memset(t.f, 0, sizeof t.f);
        for (int k = 0; k < newF; k++) { int r = newIdx[k]; uint8_t c = comp[r]; if (map[c] == 0xff) map[c] = next++; t.f[k] = (uint8_t)(lbl[r] << 5 | map[c]); }
        // The rest's decided sums are the decided totals minus the rooted districts' sums.
        {
          long long sPlo = 0, sPhi = 0, sLlo = 0, sLhi = 0;
          for (int d2 = 0; d2 < K - 1; d2++) { sPlo += t.plo[d2]; sPhi += t.phi[d2]; sLlo += t.llo[d2]; sLhi += t.lhi[d2]; }
          long long dPlo = prePop[i + 1] - sPhi, dPhi = prePop[i + 1] - sPlo, dLlo = preLandLo[i + 1] - sLhi, dLhi = preLandHi[i + 1] - sLlo;
          if (dPlo > t.plo[K - 1]) t.plo[K - 1] = (int32_t)dPlo;
          if (dPhi < t.phi[K - 1]) t.phi[K - 1] = (int32_t)dPhi;
          if (dLlo > t.llo[K - 1]) t.llo[K - 1] = (int32_t)dLlo;
          if (dLhi < t.lhi[K - 1]) t.lhi[K - 1] = (int32_t)dLhi;
          if (t.plo[K - 1] > t.phi[K - 1] || t.llo[K - 1] > t.lhi[K - 1]) continue;  // cannot happen for a real labelling
        }
        if (!boundsOK(&t, i + 1)) continue;
        if (knapsack && !knapsackOK(&t, i + 1)) continue;
        insert(&t, newF);
      }
    }
    if (nxtN > peak) peak = nxtN;
    free(cur); cur = nxt; curN = nxtN; nxt = NULL; nxtN = 0; nxtCap = 0;
    size_t configs = 0;
    {  // distinct frontier configurations (labels, components, statuses), for the progress line
      size_t cap = 1024; while (cap < 2 * curN) cap <<= 1;
      uint32_t *seen = malloc(cap * sizeof *seen); memset(seen, 0xff, cap * sizeof *seen);
      for (size_t si = 0; si < curN; si++) {
        uint64_t h = 1469598103934665603ull; for (int k = 0; k < newF; k++) { h ^= cur[si].f[k]; h *= 1099511628211ull; } h ^= cur[si].status; h *= 1099511628211ull;
        size_t b = (h ^ (h >> 29)) & (cap - 1);
        while (seen[b] != UINT32_MAX && !(cur[seen[b]].status == cur[si].status && !memcmp(cur[seen[b]].f, cur[si].f, newF))) b = (b + 1) & (cap - 1);
        if (seen[b] == UINT32_MAX) { seen[b] = (uint32_t)si; configs++; }
      }
      free(seen);
    }
    fprintf(stderr, "vertex %3d/%d %-14s frontier %2d configurations %8zu states %10zu  cpu %.1fs\n", i + 1, n, nm[v], newF, configs, curN, (double)(clock() - t0) / CLOCKS_PER_SEC);
    if (curN == 0) break;
    if (maxStates && curN > maxStates) {
      printf("tol %d permille: LIMIT, %zu states after vertex %d of %d (%s), cpu %.1fs\n", tolPermille, curN, i + 1, n, nm[v], (double)(clock() - t0) / CLOCKS_PER_SEC);
      return 1;
    }
  }
  double plans = 0; int32_t wP = 0, wL = 0;
  for (size_t i = 0; i < curN; i++) {
    const State *s = &cur[i]; int all = 1;
    for (int d2 = 0; d2 < K; d2++) { if (((s->status >> (2 * d2)) & 3) != 2) all = 0; if (s->phi[d2] - s->plo[d2] > wP) wP = s->phi[d2] - s->plo[d2]; if (s->lhi[d2] - s->llo[d2] > wL) wL = s->lhi[d2] - s->llo[d2]; }
    if (all) plans += s->count;
  }
  printf("tol %d permille, pop step %d, land step %lld m^2: relaxation %s (final states %zu, labellings %.0f, peak states %zu, widest final interval %d people / %lld m^2), cpu %.1fs\n",
         tolPermille, popStep, (long long)landStep * 1000, curN ? "feasible" : "infeasible", curN, plans, peak, wP, (long long)wL * 1000, (double)(clock() - t0) / CLOCKS_PER_SEC);
  return 0;
}
