//! A compiled set of expressions over named quantities, sampled in chunks of trials.
//!
//! Every expression becomes nodes of one graph; a named quantity is one node, shared by every
//! expression that names it, so it has one value per trial wherever it is used (`x - x` is 0).
//! Sampling runs node by node over a chunk of [`CHUNK`] trials, which keeps the inner loops
//! simple enough to vectorise and the working set in cache.
//!
//! Each random node draws from its own stream, keyed by the caller's name for the expression and
//! the node's position in it, plus the chunk's index. The numbers therefore depend only on the
//! seed and on what is sampled, not on evaluation order or threads, and adding an expression
//! leaves the draws of the others unchanged (common random numbers for what-if comparisons).

use std::collections::HashMap;

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::ast::{BinOp, Expr, ExprKind, Func, Span};
use crate::dist::Dist;
use crate::parse::closest;

/// Trials per chunk. Part of the sampling contract: changing it changes the numbers for a seed.
pub const CHUNK: usize = 1024;

/// A node of the compiled graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(usize);

#[derive(Debug, Clone)]
enum Node {
    Const(f64),
    Random { dist: Dist, stream: u64 },
    Neg(NodeId),
    Binary(BinOp, NodeId, NodeId),
    Min(Vec<NodeId>),
    Max(Vec<NodeId>),
}

/// A problem with the names an expression uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("unknown quantity `{name}`")]
    UnknownQuantity {
        /// The quantity (or expression) it was found in, as the caller named it.
        key: String,
        name: String,
        span: Span,
        suggestion: Option<String>,
    },
    #[error("quantities depend on each other in a cycle: {}", cycle.join(" → "))]
    Cycle {
        /// The names around the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    #[error("quantity `{name}` is defined twice")]
    Duplicate { name: String },
}

/// Expressions compiled into one graph, ready to sample.
#[derive(Debug, Clone, Default)]
pub struct Model {
    nodes: Vec<Node>,
    quantities: HashMap<String, NodeId>,
    /// Every estimate written in an expression: its node, the expression's name, and its
    /// place among the estimates of that expression (1, 2, ...).
    randoms: Vec<(NodeId, String, u64)>,
}

/// One estimate written in an expression (`15..40 days`, `normal(20, 4)`): a source of
/// uncertainty of its own, drawn independently of every other.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Random<'m> {
    pub node: NodeId,
    /// The name of the expression it is written in: a quantity, or a field such as
    /// `one-click.effort`.
    pub key: &'m str,
    /// Its place among the estimates of that expression, from 1.
    pub ordinal: u64,
    pub dist: Dist,
}

impl Model {
    pub fn new() -> Model {
        Model::default()
    }

    /// Defines named quantities whose expressions may name each other, in any order.
    /// Reports every unknown name and every cycle; the quantities without problems are defined.
    pub fn define_quantities<'a>(
        &mut self,
        definitions: impl IntoIterator<Item = (&'a str, &'a Expr)>,
    ) -> Result<(), Vec<ModelError>> {
        let mut errors = Vec::new();
        let mut pending: Vec<(&str, &Expr)> = Vec::new();
        let mut seen = HashMap::new();
        for (name, expr) in definitions {
            if self.quantities.contains_key(name) || seen.insert(name, expr).is_some() {
                errors.push(ModelError::Duplicate { name: name.into() });
                continue;
            }
            pending.push((name, expr));
        }
        let names: Vec<&str> = seen
            .keys()
            .copied()
            .chain(self.quantities.keys().map(String::as_str))
            .collect();
        // Unknown names first: a quantity that names an unknown one cannot be defined.
        let mut broken: Vec<&str> = Vec::new();
        for &(name, expr) in &pending {
            for (used, span) in expr.quantities() {
                if !seen.contains_key(used) && !self.quantities.contains_key(used) {
                    errors.push(ModelError::UnknownQuantity {
                        key: name.into(),
                        name: used.into(),
                        span,
                        suggestion: closest(used, names.iter().copied()).map(str::to_owned),
                    });
                    broken.push(name);
                }
            }
        }
        // Depth-first over the dependencies, in file order, so that cycles are reported once.
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        let index: HashMap<&str, usize> = pending
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (*name, i))
            .collect();
        let mut marks = vec![Mark::New; pending.len()];
        let mut order = Vec::new();
        let mut cycle_members = vec![false; pending.len()];
        for root in 0..pending.len() {
            if marks[root] != Mark::New {
                continue;
            }
            // Explicit stack: (quantity, its dependencies, next dependency to visit).
            let mut stack: Vec<(usize, Vec<usize>, usize)> = Vec::new();
            let deps = |i: usize| -> Vec<usize> {
                pending[i]
                    .1
                    .quantities()
                    .iter()
                    .filter_map(|(used, _)| index.get(used).copied())
                    .collect()
            };
            marks[root] = Mark::Active;
            stack.push((root, deps(root), 0));
            while let Some((node, node_deps, next)) = stack.last_mut() {
                if let Some(&dep) = node_deps.get(*next) {
                    *next += 1;
                    match marks[dep] {
                        Mark::New => {
                            marks[dep] = Mark::Active;
                            let dep_deps = deps(dep);
                            stack.push((dep, dep_deps, 0));
                        }
                        Mark::Active => {
                            let start = stack.iter().position(|(i, _, _)| *i == dep).unwrap_or(0);
                            let mut cycle: Vec<String> = stack[start..]
                                .iter()
                                .map(|(i, _, _)| pending[*i].0.to_owned())
                                .collect();
                            cycle.push(pending[dep].0.to_owned());
                            for (i, _, _) in &stack[start..] {
                                cycle_members[*i] = true;
                            }
                            errors.push(ModelError::Cycle { cycle });
                        }
                        Mark::Done => {}
                    }
                } else {
                    let node = *node;
                    marks[node] = Mark::Done;
                    order.push(node);
                    stack.pop();
                }
            }
        }
        for i in order {
            let (name, expr) = pending[i];
            let depends_on_broken = expr.quantities().iter().any(|(used, _)| {
                index.get(used).is_some_and(|&dep| cycle_members[dep])
                    || !self.quantities.contains_key(*used)
            });
            if cycle_members[i] || broken.contains(&name) || depends_on_broken {
                continue;
            }
            // The quantities it names are defined: dependencies come first in `order`.
            if let Ok(node) = self.add(name, expr) {
                self.quantities.insert(name.to_owned(), node);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The node of a defined quantity.
    pub fn quantity(&self, name: &str) -> Option<NodeId> {
        self.quantities.get(name).copied()
    }

    /// Compiles an expression whose quantities are all defined. `key` names the expression
    /// (`"one-click.effort"`); it seeds the random streams of the estimates written inline.
    pub fn add(&mut self, key: &str, expr: &Expr) -> Result<NodeId, ModelError> {
        let key_hash = fnv1a(key.as_bytes());
        let mut n_random = 0u64;
        self.compile(key, key_hash, &mut n_random, expr)
    }

    fn compile(
        &mut self,
        key: &str,
        key_hash: u64,
        n_random: &mut u64,
        expr: &Expr,
    ) -> Result<NodeId, ModelError> {
        let node = match &expr.kind {
            ExprKind::Number { value, .. } => Node::Const(*value),
            ExprKind::Dist { dist, .. } => {
                *n_random += 1;
                self.randoms
                    .push((NodeId(self.nodes.len()), key.to_owned(), *n_random));
                Node::Random {
                    dist: *dist,
                    stream: mix(key_hash, *n_random),
                }
            }
            ExprKind::Quantity(name) => {
                return self.quantity(name).ok_or_else(|| {
                    let names: Vec<&str> = self.quantities.keys().map(String::as_str).collect();
                    ModelError::UnknownQuantity {
                        key: key.into(),
                        name: name.clone(),
                        span: expr.span,
                        suggestion: closest(name, names.iter().copied()).map(str::to_owned),
                    }
                });
            }
            ExprKind::Neg(inner) => Node::Neg(self.compile(key, key_hash, n_random, inner)?),
            ExprKind::Binary { op, lhs, rhs } => {
                let lhs = self.compile(key, key_hash, n_random, lhs)?;
                let rhs = self.compile(key, key_hash, n_random, rhs)?;
                Node::Binary(*op, lhs, rhs)
            }
            ExprKind::Call { func, args } => {
                let args = args
                    .iter()
                    .map(|arg| self.compile(key, key_hash, n_random, arg))
                    .collect::<Result<Vec<_>, _>>()?;
                match func {
                    Func::Min => Node::Min(args),
                    Func::Max => Node::Max(args),
                }
            }
        };
        self.nodes.push(node);
        Ok(NodeId(self.nodes.len() - 1))
    }

    /// Samples `outputs` over `trials` trials, calling `visit` once per chunk with the offset of
    /// its first trial and one slice per output, in the order of `outputs`.
    pub fn for_each_chunk(
        &self,
        outputs: &[NodeId],
        trials: usize,
        seed: u64,
        mut visit: impl FnMut(usize, &[&[f64]]),
    ) {
        let mut sampler = self.sampler(outputs);
        for chunk_idx in 0..trials.div_ceil(CHUNK) {
            let len = sampler.fill(chunk_idx, trials, seed);
            let slices: Vec<&[f64]> = outputs.iter().map(|id| sampler.column(*id, len)).collect();
            visit(chunk_idx * CHUNK, &slices);
        }
    }

    /// A sampler of `outputs` with buffers of its own, so that chunks can be filled in any
    /// order, on any thread: each thread keeps one sampler.
    pub fn sampler(&self, outputs: &[NodeId]) -> Sampler<'_> {
        let needed = self.needed(outputs);
        let mut columns = 0;
        let column_of = needed
            .iter()
            .map(|&needed| {
                columns += usize::from(needed);
                columns - usize::from(needed)
            })
            .collect();
        Sampler {
            model: self,
            streams: vec![None; needed.len()],
            needed,
            column_of,
            columns,
            width: 0,
            values: Vec::new(),
            left: 0,
        }
    }

    /// Samples `outputs` over `trials` trials and returns one column of values per output.
    pub fn sample(&self, outputs: &[NodeId], trials: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut columns: Vec<Vec<f64>> =
            outputs.iter().map(|_| Vec::with_capacity(trials)).collect();
        self.for_each_chunk(outputs, trials, seed, |_, slices| {
            for (column, slice) in columns.iter_mut().zip(slices) {
                column.extend_from_slice(slice);
            }
        });
        columns
    }

    /// Every estimate written in the model's expressions, in the order they were compiled.
    pub fn randoms(&self) -> impl Iterator<Item = Random<'_>> {
        self.randoms
            .iter()
            .filter_map(|(node, key, ordinal)| match self.nodes[node.0] {
                Node::Random { dist, .. } => Some(Random {
                    node: *node,
                    key,
                    ordinal: *ordinal,
                    dist,
                }),
                _ => None,
            })
    }

    /// The estimates the outputs depend on.
    pub fn randoms_under(&self, outputs: &[NodeId]) -> Vec<NodeId> {
        let needed = self.needed(outputs);
        self.randoms
            .iter()
            .map(|(node, _, _)| *node)
            .filter(|node| needed[node.0])
            .collect()
    }

    /// Evaluates `outputs` over `len` cases in which the caller fills in each estimate
    /// (`fill(node, out)` writes `len` values), with no randomness: for what-if values such as
    /// one estimate at its 10th percentile and the others at their medians.
    pub fn evaluate(
        &self,
        outputs: &[NodeId],
        len: usize,
        mut fill: impl FnMut(NodeId, &mut [f64]),
    ) -> Vec<Vec<f64>> {
        let needed = self.needed(outputs);
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); self.nodes.len()];
        for (node_idx, node) in self.nodes.iter().enumerate() {
            if !needed[node_idx] {
                continue;
            }
            let (done, rest) = values.split_at_mut(node_idx);
            let out = &mut rest[0];
            out.resize(len, 0.0);
            let input = |id: NodeId| &done[id.0];
            match node {
                Node::Const(value) => out.fill(*value),
                Node::Random { .. } => fill(NodeId(node_idx), out),
                Node::Neg(inner) => {
                    for (out, a) in out.iter_mut().zip(input(*inner)) {
                        *out = -a;
                    }
                }
                Node::Binary(op, lhs, rhs) => {
                    for (out, (a, b)) in out.iter_mut().zip(input(*lhs).iter().zip(input(*rhs))) {
                        *out = op.apply(*a, *b);
                    }
                }
                Node::Min(args) | Node::Max(args) => {
                    let is_min = matches!(node, Node::Min(_));
                    out.copy_from_slice(input(args[0]));
                    for arg in &args[1..] {
                        for (out, a) in out.iter_mut().zip(input(*arg)) {
                            *out = if is_min { out.min(*a) } else { out.max(*a) };
                        }
                    }
                }
            }
        }
        outputs.iter().map(|id| values[id.0].clone()).collect()
    }

    /// Which nodes the outputs depend on.
    fn needed(&self, outputs: &[NodeId]) -> Vec<bool> {
        let mut needed = vec![false; self.nodes.len()];
        for output in outputs {
            needed[output.0] = true;
        }
        for node_idx in (0..self.nodes.len()).rev() {
            if !needed[node_idx] {
                continue;
            }
            match &self.nodes[node_idx] {
                Node::Const(_) | Node::Random { .. } => {}
                Node::Neg(inner) => needed[inner.0] = true,
                Node::Binary(_, lhs, rhs) => {
                    needed[lhs.0] = true;
                    needed[rhs.0] = true;
                }
                Node::Min(args) | Node::Max(args) => {
                    args.iter().for_each(|arg| needed[arg.0] = true)
                }
            }
        }
        needed
    }
}

/// Buffers for one chunk of trials of a model's outputs; see [`Model::sampler`].
#[derive(Debug)]
pub struct Sampler<'m> {
    model: &'m Model,
    needed: Vec<bool>,
    /// The column of each needed node in `values`; needed nodes come first in node order.
    column_of: Vec<usize>,
    /// How many columns there are: one per needed node.
    columns: usize,
    /// The trials a column holds: the longest part drawn so far.
    width: usize,
    /// The columns side by side, `width` values each, so that a short part's columns lie
    /// close together in memory instead of one allocation apart.
    values: Vec<f64>,
    /// Each random node's stream in the chunk started last, where its last part left it.
    streams: Vec<Option<Xoshiro256PlusPlus>>,
    /// Trials of the chunk started last that no part has drawn yet.
    left: usize,
}

impl Sampler<'_> {
    /// Fills chunk `chunk_idx` of a run of `trials` trials and returns its length. The numbers
    /// depend only on the seed, the chunk index and the model, never on which chunks were
    /// filled before.
    pub fn fill(&mut self, chunk_idx: usize, trials: usize, seed: u64) -> usize {
        let len = self.start_chunk(chunk_idx, trials, seed);
        self.fill_part(len)
    }

    /// Starts chunk `chunk_idx` of a run of `trials` trials, to be drawn part by part with
    /// [`Sampler::fill_part`], and returns its length. The parts together hold exactly the
    /// numbers [`Sampler::fill`] gives the whole chunk: each stream goes on where it left off.
    /// Drawing a chunk in parts keeps the working set small when there are many outputs.
    pub fn start_chunk(&mut self, chunk_idx: usize, trials: usize, seed: u64) -> usize {
        let len = CHUNK.min(trials.saturating_sub(chunk_idx * CHUNK));
        for ((node, needed), stream) in self
            .model
            .nodes
            .iter()
            .zip(&self.needed)
            .zip(&mut self.streams)
        {
            *stream = match node {
                Node::Random { stream: key, .. } if *needed => Some(
                    Xoshiro256PlusPlus::seed_from_u64(mix(mix(seed, *key), chunk_idx as u64)),
                ),
                _ => None,
            };
        }
        self.left = len;
        len
    }

    /// Draws the next trials of the chunk started last, at most `max` of them, into the
    /// columns, in place of the part before; returns how many (0 once the chunk is done).
    pub fn fill_part(&mut self, max: usize) -> usize {
        let len = max.min(self.left);
        self.left -= len;
        if len > self.width {
            self.widen(len);
        }
        let width = self.width;
        for (node_idx, node) in self.model.nodes.iter().enumerate() {
            if !self.needed[node_idx] {
                continue;
            }
            // Children always precede their parent, so their columns come first and are
            // computed already.
            let column = self.column_of[node_idx];
            let (done, rest) = self.values.split_at_mut(column * width);
            let out = &mut rest[..len];
            let column_of = &self.column_of;
            let input = |id: NodeId| {
                let start = column_of[id.0] * width;
                &done[start..start + len]
            };
            match node {
                Node::Const(_) => {}
                Node::Random { dist, .. } => {
                    if let Some(rng) = &mut self.streams[node_idx] {
                        dist.fill(rng, out);
                    }
                }
                Node::Neg(inner) => {
                    for (out, a) in out.iter_mut().zip(input(*inner)) {
                        *out = -a;
                    }
                }
                Node::Binary(op, lhs, rhs) => {
                    let (lhs, rhs) = (input(*lhs), input(*rhs));
                    let pairs = out.iter_mut().zip(lhs.iter().zip(rhs));
                    match op {
                        BinOp::Add => pairs.for_each(|(out, (a, b))| *out = a + b),
                        BinOp::Sub => pairs.for_each(|(out, (a, b))| *out = a - b),
                        BinOp::Mul => pairs.for_each(|(out, (a, b))| *out = a * b),
                        BinOp::Div => pairs.for_each(|(out, (a, b))| *out = a / b),
                    }
                }
                Node::Min(args) | Node::Max(args) => {
                    let is_min = matches!(node, Node::Min(_));
                    out.copy_from_slice(input(args[0]));
                    for arg in &args[1..] {
                        for (out, a) in out.iter_mut().zip(input(*arg)) {
                            *out = if is_min { out.min(*a) } else { out.max(*a) };
                        }
                    }
                }
            }
        }
        len
    }

    /// The values of `node` in the chunk or part filled last; `len` is what [`Sampler::fill`]
    /// or [`Sampler::fill_part`] returned.
    /// The node must be one of the outputs the sampler was made for, or one they depend on.
    pub fn column(&self, node: NodeId, len: usize) -> &[f64] {
        let start = self.column_of[node.0] * self.width;
        &self.values[start..start + len]
    }

    /// Makes every column `width` trials long. Constants are written once, here; everything
    /// else is drawn or computed again for each part.
    fn widen(&mut self, width: usize) {
        self.width = width;
        self.values.clear();
        self.values.resize(self.columns * width, 0.0);
        for (node_idx, node) in self.model.nodes.iter().enumerate() {
            if let (Node::Const(value), true) = (node, self.needed[node_idx]) {
                let start = self.column_of[node_idx] * width;
                self.values[start..start + width].fill(*value);
            }
        }
    }
}

/// The seed of a random stream of one's own, for a caller that draws numbers outside a model
/// (the daily throughput of a history forecast): keyed by a name and an index (the chunk), so
/// that it is independent of the model's streams and of the other chunks.
pub fn stream_seed(seed: u64, key: &str, index: u64) -> u64 {
    mix(mix(seed, fnv1a(key.as_bytes())), index)
}

/// SplitMix64's finaliser over the pair: a well-mixed 64-bit key for a stream.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b
        .wrapping_add(0x9E37_79B9_7F4A_7C15)
        .wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a: a stable hash of the expression's name (std's hasher is not stable across releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
