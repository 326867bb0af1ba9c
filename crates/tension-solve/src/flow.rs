//! Maximum-weight closure by a minimum cut (Picard 1976), with Dinic's maximum flow.
//!
//! The network is built once per problem: a source edge and a sink edge for every variable
//! and an edge of infinite capacity for every "choosing i requires j". Each evaluation sets the
//! source and sink capacities from the weights and reads the closure off the source side of the
//! minimum cut. Fixed variables are left out of the network: one fixed in belongs to the source
//! side, one fixed out to the sink side, and, since the fixings are closed under the
//! requirements, no free variable's choice depends on them. A network with most variables fixed
//! costs little more than its free part.

/// Larger than any sum of finite capacities the solver builds (those stay below 2^61).
pub(crate) const INFINITE: i64 = 1 << 62;

/// The level of a fixed variable: never reached by a phase's search, nor by a path.
const LEFT_OUT: u32 = u32::MAX - 1;

#[derive(Debug, Clone)]
pub(crate) struct ClosureNetwork {
    n: usize,
    /// Edges of each node, as a range of the edge arrays.
    first: Vec<u32>,
    to: Vec<u32>,
    /// The index of the reverse edge.
    reverse: Vec<u32>,
    capacity: Vec<i64>,
    /// The capacities of the requirement edges (infinite) and reverse edges (zero).
    initial: Vec<i64>,
    /// Per variable, the index of its edge from the source and of its edge to the sink.
    from_source: Vec<u32>,
    to_sink: Vec<u32>,
    level: Vec<u32>,
    next_edge: Vec<u32>,
    queue: Vec<u32>,
    stack: Vec<(u32, u32)>,
    seen: Vec<bool>,
    /// The variables fixed (in or out) in the current evaluation, left out of the network.
    left_out: Vec<u32>,
}

/// How a variable stands in one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fix {
    Free,
    In,
    Out,
}

impl ClosureNetwork {
    /// The network of `n` variables where `(i, j)` in `requires` means i can be chosen only
    /// with j.
    pub(crate) fn new(n: usize, requires: &[(u32, u32)]) -> ClosureNetwork {
        let source = n as u32;
        let sink = n as u32 + 1;
        let mut arcs: Vec<(u32, u32, bool)> = Vec::with_capacity(2 * n + requires.len());
        for var in 0..n as u32 {
            arcs.push((source, var, false));
            arcs.push((var, sink, false));
        }
        for &(i, j) in requires {
            if i != j {
                arcs.push((i, j, true));
            }
        }
        let nodes = n + 2;
        let mut degree = vec![0u32; nodes + 1];
        for &(a, b, _) in &arcs {
            degree[a as usize + 1] += 1;
            degree[b as usize + 1] += 1;
        }
        for node in 0..nodes {
            degree[node + 1] += degree[node];
        }
        let first = degree.clone();
        let mut fill = degree;
        let edges = 2 * arcs.len();
        let mut to = vec![0u32; edges];
        let mut reverse = vec![0u32; edges];
        let mut initial = vec![0i64; edges];
        let mut from_source = vec![0u32; n];
        let mut to_sink = vec![0u32; n];
        for &(a, b, infinite) in &arcs {
            let forward = fill[a as usize];
            fill[a as usize] += 1;
            let backward = fill[b as usize];
            fill[b as usize] += 1;
            to[forward as usize] = b;
            to[backward as usize] = a;
            reverse[forward as usize] = backward;
            reverse[backward as usize] = forward;
            if infinite {
                initial[forward as usize] = INFINITE;
            } else if a == source {
                from_source[b as usize] = forward;
            } else {
                to_sink[a as usize] = forward;
            }
        }
        ClosureNetwork {
            n,
            first,
            to,
            reverse,
            capacity: initial.clone(),
            initial,
            from_source,
            to_sink,
            level: vec![0; nodes],
            next_edge: vec![0; nodes],
            queue: Vec::with_capacity(nodes),
            stack: Vec::with_capacity(nodes),
            seen: Vec::with_capacity(nodes),
            left_out: Vec::new(),
        }
    }

    /// The closure of largest weight: `chosen[j]` tells whether j is in it. Variables fixed in
    /// are in it, variables fixed out are not; the caller keeps the fixings consistent (what is
    /// fixed in requires only what is fixed in, what requires something fixed out is fixed
    /// out). Among closures of equal weight, the smallest one is returned.
    pub(crate) fn max_closure(&mut self, weight: &[i64], fix: &[Fix], chosen: &mut Vec<bool>) {
        self.capacity.copy_from_slice(&self.initial);
        self.left_out.clear();
        for var in 0..self.n {
            let (up, down) = match fix[var] {
                Fix::In | Fix::Out => {
                    self.left_out.push(var as u32);
                    (0, 0)
                }
                Fix::Free => (weight[var].max(0), (-weight[var]).max(0)),
            };
            self.capacity[self.from_source[var] as usize] = up;
            self.capacity[self.to_sink[var] as usize] = down;
        }
        self.greedy();
        while self.levels() {
            let firsts = &self.first;
            self.next_edge.copy_from_slice(&firsts[..self.n + 2]);
            while self.augment() > 0 {}
        }
        // The source side of the cut: what the source still reaches.
        self.reach();
        chosen.clear();
        chosen.extend_from_slice(&self.seen[..self.n]);
        for &var in &self.left_out {
            chosen[var as usize] = fix[var as usize] == Fix::In;
        }
    }

    /// Pushes flow along the short paths source → variable → required variable → sink
    /// directly, which carries most of the flow before the phases start.
    fn greedy(&mut self) {
        let sink = self.n as u32 + 1;
        for var in 0..self.n {
            let up = self.from_source[var] as usize;
            for edge in self.first[var] as usize..self.first[var + 1] as usize {
                if self.capacity[up] == 0 {
                    break;
                }
                let next = self.to[edge] as usize;
                if next >= self.n || self.capacity[edge] == 0 {
                    continue;
                }
                let down = self.to_sink[next] as usize;
                let pushed = self.capacity[up]
                    .min(self.capacity[down])
                    .min(self.capacity[edge]);
                if pushed == 0 {
                    continue;
                }
                debug_assert_eq!(self.to[down], sink);
                for e in [up, edge, down] {
                    self.capacity[e] -= pushed;
                    self.capacity[self.reverse[e] as usize] += pushed;
                }
            }
        }
    }

    /// Breadth-first levels from the source; whether the sink is reached.
    fn levels(&mut self) -> bool {
        let source = self.n;
        let sink = self.n + 1;
        self.level.fill(u32::MAX);
        for &var in &self.left_out {
            self.level[var as usize] = LEFT_OUT;
        }
        self.level[source] = 0;
        self.queue.clear();
        self.queue.push(source as u32);
        let mut head = 0;
        while head < self.queue.len() {
            let node = self.queue[head] as usize;
            head += 1;
            // Nodes at the sink's level or beyond lead nowhere useful in this phase.
            if self.level[node] >= self.level[sink] {
                break;
            }
            for edge in self.first[node] as usize..self.first[node + 1] as usize {
                let next = self.to[edge] as usize;
                if self.capacity[edge] > 0 && self.level[next] == u32::MAX {
                    self.level[next] = self.level[node] + 1;
                    self.queue.push(next as u32);
                }
            }
        }
        self.level[sink] != u32::MAX
    }

    /// One augmenting path along the levels, found depth first without recursion; the flow
    /// it carried (zero when there is none left).
    fn augment(&mut self) -> i64 {
        let source = self.n;
        let sink = self.n + 1;
        self.stack.clear();
        let mut node = source;
        loop {
            if node == sink {
                let pushed = self
                    .stack
                    .iter()
                    .map(|&(_, edge)| self.capacity[edge as usize])
                    .min()
                    .unwrap_or(0);
                for &(_, edge) in &self.stack {
                    self.capacity[edge as usize] -= pushed;
                    self.capacity[self.reverse[edge as usize] as usize] += pushed;
                }
                return pushed;
            }
            let end = self.first[node + 1];
            let mut advanced = false;
            while self.next_edge[node] < end {
                let edge = self.next_edge[node] as usize;
                let next = self.to[edge] as usize;
                if self.capacity[edge] > 0 && self.level[next] == self.level[node] + 1 {
                    self.stack.push((node as u32, edge as u32));
                    node = next;
                    advanced = true;
                    break;
                }
                self.next_edge[node] += 1;
            }
            if !advanced {
                // A dead end: no path through this node at this level; step back.
                self.level[node] = u32::MAX;
                match self.stack.pop() {
                    Some((previous, _)) => {
                        node = previous as usize;
                        self.next_edge[node] += 1;
                    }
                    None => return 0,
                }
            }
        }
    }

    /// Marks in `seen` the nodes the source reaches in the residual network.
    fn reach(&mut self) {
        let source = self.n;
        let seen = &mut self.seen;
        seen.clear();
        seen.resize(self.n + 2, false);
        for &var in &self.left_out {
            seen[var as usize] = true;
        }
        seen[source] = true;
        self.queue.clear();
        self.queue.push(source as u32);
        let mut head = 0;
        while head < self.queue.len() {
            let node = self.queue[head] as usize;
            head += 1;
            for edge in self.first[node] as usize..self.first[node + 1] as usize {
                let next = self.to[edge] as usize;
                if self.capacity[edge] > 0 && !seen[next] {
                    seen[next] = true;
                    self.queue.push(next as u32);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The best weight over closures that agree with the fixings, and the intersection of the
    /// closures that reach it: the smallest best closure.
    fn best_by_enumeration(
        n: usize,
        requires: &[(u32, u32)],
        weight: &[i64],
        fix: &[Fix],
    ) -> (i64, Vec<bool>) {
        let sets: Vec<(i64, u32)> = (0u32..1 << n)
            .filter(|set| {
                requires
                    .iter()
                    .all(|&(i, j)| set & (1 << i) == 0 || set & (1 << j) != 0)
            })
            .filter(|set| {
                (0..n).all(|v| match fix[v] {
                    Fix::Free => true,
                    Fix::In => set & (1 << v) != 0,
                    Fix::Out => set & (1 << v) == 0,
                })
            })
            .map(|set| {
                let total = (0..n).filter(|&v| set & (1 << v) != 0).map(|v| weight[v]);
                (total.sum(), set)
            })
            .collect();
        let best = sets.iter().map(|&(total, _)| total).max().unwrap_or(0);
        let smallest = sets
            .iter()
            .filter(|&&(total, _)| total == best)
            .fold(u32::MAX, |common, &(_, set)| common & set);
        (best, (0..n).map(|v| smallest & (1 << v) != 0).collect())
    }

    /// Fixings closed under the requirements: what is fixed in pulls what it requires in, what
    /// is fixed out pushes out what requires it; `None` when the two meet.
    fn consistent(n: usize, requires: &[(u32, u32)], wanted: &[u8]) -> Option<Vec<Fix>> {
        let mut fix: Vec<Fix> = wanted[..n]
            .iter()
            .map(|w| match w {
                0 => Fix::In,
                1 => Fix::Out,
                _ => Fix::Free,
            })
            .collect();
        for _ in 0..n {
            for &(i, j) in requires {
                let (i, j) = (i as usize, j as usize);
                match (fix[i], fix[j]) {
                    (Fix::In, Fix::Out) => return None,
                    (Fix::In, _) => fix[j] = Fix::In,
                    (_, Fix::Out) => fix[i] = Fix::Out,
                    _ => {}
                }
            }
        }
        Some(fix)
    }

    proptest::proptest! {
        #[test]
        fn the_min_cut_closure_is_the_smallest_closure_of_largest_weight(
            n in 1usize..9,
            weight in proptest::collection::vec(-20i64..20, 9),
            requires in proptest::collection::vec((0u32..9, 0u32..9), 0..14),
            wanted in proptest::collection::vec(0u8..8, 9),
        ) {
            let requires: Vec<(u32, u32)> = requires
                .into_iter()
                .filter(|&(i, j)| (i as usize) < n && (j as usize) < n)
                .collect();
            let fix = consistent(n, &requires, &wanted);
            proptest::prop_assume!(fix.is_some());
            let fix = fix.unwrap_or_default();
            let mut network = ClosureNetwork::new(n, &requires);
            let mut chosen = Vec::new();
            network.max_closure(&weight[..n], &fix, &mut chosen);
            for &(i, j) in &requires {
                proptest::prop_assert!(!chosen[i as usize] || chosen[j as usize]);
            }
            let got: i64 = (0..n).filter(|&v| chosen[v]).map(|v| weight[v]).sum();
            let (best, smallest) = best_by_enumeration(n, &requires, &weight[..n], &fix);
            proptest::prop_assert_eq!(got, best);
            // The price searches narrow by the smallest best closures: ties must break alike.
            proptest::prop_assert_eq!(chosen, smallest);
        }
    }

    #[test]
    fn fixed_variables_are_left_out_of_the_cut() {
        // 0 and 2 require 1; 1 is costly, so 2 pays for it and 0 does not.
        let requires = [(0, 1), (2, 1)];
        let mut network = ClosureNetwork::new(3, &requires);
        let mut chosen = Vec::new();
        network.max_closure(&[-1, -2, 5], &[Fix::Free; 3], &mut chosen);
        assert_eq!(chosen, [false, true, true]);
        // Fixed in with what it requires: what requires them is free to come or not.
        network.max_closure(&[-1, -2, -3], &[Fix::Free, Fix::In, Fix::Free], &mut chosen);
        assert_eq!(chosen, [false, true, false]);
        network.max_closure(&[4, -2, -3], &[Fix::Free, Fix::In, Fix::Free], &mut chosen);
        assert_eq!(chosen, [true, true, false]);
        // Fixed out with what requires it.
        network.max_closure(&[-1, -2, 5], &[Fix::Out; 3], &mut chosen);
        assert_eq!(chosen, [false, false, false]);
    }
}
