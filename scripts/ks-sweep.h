// Sweep order with a narrow frontier, shared by ks-k4-frontier.c and ks-k4-exact.c (dev tooling).
//
// Greedy: from every start vertex (or only `start` when it is >= 0), repeatedly decide the
// undecided vertex next to the decided ones that leaves the smallest frontier (decided vertices
// with an undecided neighbour); ties go to the most decided neighbours, then the lowest index.
// Keeps the order with the narrowest widest frontier, then the smallest sum of frontier sizes.
// Writes order[0..n-1], pos (its inverse) and, for i = 0..n decided vertices, the frontier in
// decision order: fsz[i] vertices at fr[i * stride ...]. Returns the widest frontier, or -1 when it
// is wider than stride. O(n^3 * degree) time; n <= 128.
static int sweep_order(int n, const int *deg, const int (*nb)[16], int start, int *order, int *pos, int *fsz, int *fr, int stride) {
  int best[128], bestMax = 1 << 30; long bestSum = 1L << 60;
  for (int s = 0; s < n; s++) {
    if (start >= 0 && s != start) continue;
    int done[128] = {0}, o[128], undecidedNb[128], inF[128] = {0}, F = 0, widest = 0; long sum = 0;
    for (int v = 0; v < n; v++) undecidedNb[v] = deg[v];
    for (int i = 0; i < n; i++) {
      int pick = -1, pickF = 1 << 30, pickC = -1;
      for (int v = 0; v < n; v++) {
        if (done[v] || (i == 0 && v != s)) continue;
        int c = 0, leave = 0;
        for (int j = 0; j < deg[v]; j++) { int u = nb[v][j]; if (done[u]) { c++; if (undecidedNb[u] == 1) leave++; } }
        if (i > 0 && c == 0) continue;  // stay connected
        int newF = F + 1 - leave - (deg[v] == c);
        if (newF < pickF || (newF == pickF && c > pickC)) { pick = v; pickF = newF; pickC = c; }
      }
      if (pick < 0) for (int v = 0; v < n; v++) if (!done[v]) { pick = v; break; }  // disconnected graph
      done[pick] = 1; o[i] = pick;
      for (int j = 0; j < deg[pick]; j++) { int u = nb[pick][j]; undecidedNb[u]--; if (done[u] && undecidedNb[u] == 0 && inF[u]) { inF[u] = 0; F--; } }
      if (undecidedNb[pick] > 0) { inF[pick] = 1; F++; }
      if (F > widest) widest = F;
      sum += F;
    }
    if (widest < bestMax || (widest == bestMax && sum < bestSum)) { bestMax = widest; bestSum = sum; for (int i = 0; i < n; i++) best[i] = o[i]; }
  }
  for (int i = 0; i < n; i++) { order[i] = best[i]; pos[best[i]] = i; }
  if (bestMax > stride) return -1;
  for (int i = 0; i <= n; i++) {
    fsz[i] = 0;
    for (int k = 0; k < i; k++) {
      int v = order[k], open = 0;
      for (int j = 0; j < deg[v]; j++) if (pos[nb[v][j]] >= i) open = 1;
      if (open) fr[i * stride + fsz[i]++] = v;
    }
  }
  return bestMax;
}
