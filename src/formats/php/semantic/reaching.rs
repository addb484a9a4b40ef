//! The plain assignments to one variable in a scope, arranged so that finding those that reach
//! a point costs a logarithm of their number, not their number: a function with thousands of
//! `if (…) { $port = …; }` followed by thousands of calls must not go through all of them for
//! each call.
//!
//! Each assignment carries a kind, the class of its value that the rule using the scope cares
//! about (`K`, given by the classifier passed to [`super::scope::Scope::of`]): "the latest
//! reaching assignment of this kind" and "are all reaching assignments of this kind" are
//! answered in a logarithm too.

use tree_sitter::Node;

use super::index::TreeIndex;

struct Assignment<'t> {
    /// Where the assigned variable starts: the assignments are in this order.
    variable_start: usize,
    node: Node<'t>,
    /// The parent of the assignment's statement when the assignment is a statement by
    /// itself (see `always_runs_before`).
    block: Option<Node<'t>>,
}

/// The plain assignments to one variable, in document order, each with the kind of its value.
pub struct Assignments<'t, K> {
    list: Vec<Assignment<'t>>,
    /// For each assignment that is a statement by itself, where its block ends (0 for the
    /// others): the assignment runs before everything in the block after it.
    block_ends: MaxTree,
    /// Each kind with the positions in `list` of the assignments of that kind, in increasing
    /// order. Rules use a handful of kinds: a list, not a map.
    kinds: Vec<(K, Vec<usize>)>,
}

impl<K> Default for Assignments<'_, K> {
    fn default() -> Self {
        Self {
            list: Vec::new(),
            block_ends: MaxTree::default(),
            kinds: Vec::new(),
        }
    }
}

impl<'t, K: Copy + PartialEq> Assignments<'t, K> {
    /// Adds `assignment` of the variable at `variable`, whose value is of `kind`; calls come
    /// in document order.
    pub fn push(
        &mut self,
        index: &TreeIndex<'t>,
        variable: Node<'t>,
        assignment: Node<'t>,
        kind: K,
    ) {
        let block = index
            .parent(assignment)
            .filter(|p| p.kind() == "expression_statement")
            .and_then(|statement| index.parent(statement));
        let position = self.list.len();
        match self.kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, positions)) => positions.push(position),
            None => self.kinds.push((kind, vec![position])),
        }
        self.list.push(Assignment {
            variable_start: variable.start_byte(),
            node: assignment,
            block,
        });
    }

    /// Call once all are pushed.
    pub fn finish(&mut self) {
        self.block_ends = MaxTree::new(
            self.list
                .iter()
                .map(|a| a.block.map_or(0, |b| b.end_byte()))
                .collect(),
        );
    }

    /// Whether one of them lies inside `node`.
    pub fn any_within(&self, node: Node<'t>) -> bool {
        // One inside `node` has its variable inside it too.
        let first = self
            .list
            .partition_point(|a| a.variable_start < node.start_byte());
        self.list[first..]
            .iter()
            .take_while(|a| a.variable_start < node.end_byte())
            .any(|a| {
                a.node.start_byte() >= node.start_byte() && a.node.end_byte() <= node.end_byte()
            })
    }

    /// Those that may give the variable its value at `at`: going back from `at`, every
    /// assignment that ends before it, up to and including the first one that runs on every
    /// path to `at`.
    pub fn reaching<'s>(&'s self, index: &TreeIndex<'t>, at: Node<'t>) -> Reaching<'s, 't, K> {
        let start = at.start_byte();
        // An assignment that ends before `at` has its variable before `at`.
        let end = self.list.partition_point(|a| a.variable_start <= start);
        let mut reaching = Reaching {
            list: &self.list[..end],
            start,
            first: 0,
            kinds: &self.kinds,
        };
        reaching.first = self.first_reaching(index, at, end);
        if cfg!(debug_assertions) && end <= 64 {
            // The search against the definition, where that is cheap.
            assert_eq!(
                reaching.first,
                self.first_reaching_by_scanning(index, at, end)
            );
        }
        reaching
    }

    /// The position of the latest of the first `end` assignments that ends before `at` and runs
    /// on every path to it, or 0.
    fn first_reaching(&self, index: &TreeIndex<'t>, at: Node<'t>, end: usize) -> usize {
        let start = at.start_byte();
        if at.end_byte() <= start {
            // The search below counts on `at` having a width.
            return self.first_reaching_by_scanning(index, at, end);
        }
        // An assignment before `at` whose block ends after the start of `at` has its block
        // around `at` (the nodes of a tree nest): the latest such one is the first reaching.
        let mut end = end;
        while let Some(position) = self.block_ends.last_above(end, start) {
            let assignment = &self.list[position];
            if assignment.node.end_byte() <= start {
                debug_assert!(always_runs_before(index, assignment, at));
                return position;
            }
            // `at` is inside the assignment (`$a = f(fsockopen(…))`): not before it.
            end = position;
        }
        0
    }

    /// What `first_reaching` finds, the slow way: the definition.
    fn first_reaching_by_scanning(&self, index: &TreeIndex<'t>, at: Node<'t>, end: usize) -> usize {
        (0..end)
            .rev()
            .find(|&position| {
                let assignment = &self.list[position];
                assignment.node.end_byte() <= at.start_byte()
                    && always_runs_before(index, assignment, at)
            })
            .unwrap_or(0)
    }
}

/// Whether `assignment` is a statement of its own in a block that also holds `at`, before it:
/// then every path to `at` runs it.
fn always_runs_before<'t>(
    index: &TreeIndex<'t>,
    assignment: &Assignment<'t>,
    at: Node<'t>,
) -> bool {
    assignment
        .block
        .is_some_and(|block| index.contains(block, at))
}

/// The assignments that may give a variable its value at a point, the latest first.
pub struct Reaching<'s, 't, K> {
    /// The assignments whose variables start before the point…
    list: &'s [Assignment<'t>],
    /// …where the point starts…
    start: usize,
    /// …from this position on, those that end before the point.
    first: usize,
    /// `Assignments::kinds`.
    kinds: &'s [(K, Vec<usize>)],
}

impl<'t, K: Copy + PartialEq> Reaching<'_, 't, K> {
    /// For a variable that is never assigned.
    pub fn none() -> Self {
        Self {
            list: &[],
            start: 0,
            first: 0,
            kinds: &[],
        }
    }

    /// The assignments, the latest first.
    pub fn iter(&self) -> impl Iterator<Item = Node<'t>> + '_ {
        self.list[self.first..]
            .iter()
            .rev()
            .filter(|a| a.node.end_byte() <= self.start)
            .map(|a| a.node)
    }

    pub fn latest(&self) -> Option<Node<'t>> {
        self.iter().next()
    }

    /// All of them when there are at most `limit`.
    pub fn at_most(&self, limit: usize) -> Option<Vec<Node<'t>>> {
        let all: Vec<Node<'t>> = self.iter().take(limit + 1).collect();
        (all.len() <= limit).then_some(all)
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.latest().is_none()
    }

    /// The latest of them whose value is of `kind`.
    pub fn latest_of(&self, kind: K) -> Option<Node<'t>> {
        let (_, positions) = self.kinds.iter().find(|(k, _)| *k == kind)?;
        self.latest_among(positions)
    }

    /// Whether there is one and all are of `kind`.
    pub fn all_of(&self, kind: K) -> bool {
        self.latest().is_some()
            && self
                .kinds
                .iter()
                .filter(|(k, _)| *k != kind)
                .all(|(_, positions)| self.latest_among(positions).is_none())
    }

    /// The latest of them whose position is in `positions` (in increasing order).
    fn latest_among(&self, positions: &[usize]) -> Option<Node<'t>> {
        let end = positions.partition_point(|&p| p < self.list.len());
        positions[..end]
            .iter()
            .rev()
            .take_while(|&&p| p >= self.first)
            .map(|&p| &self.list[p])
            .find(|a| a.node.end_byte() <= self.start)
            .map(|a| a.node)
    }
}

/// The largest of a list of numbers for each power-of-two run of them, to find the last one
/// above a bound in a logarithmic number of steps.
#[derive(Default)]
struct MaxTree {
    /// How many leaves: a power of two, at least the number of values.
    leaves: usize,
    /// `max[1]` is the largest of all, `max[i]` the largest of `max[2i]` and `max[2i + 1]`,
    /// `max[leaves + k]` the value at `k`.
    max: Vec<usize>,
}

impl MaxTree {
    fn new(values: Vec<usize>) -> Self {
        let leaves = values.len().next_power_of_two();
        let mut max = vec![0; 2 * leaves];
        max[leaves..leaves + values.len()].copy_from_slice(&values);
        for i in (1..leaves).rev() {
            max[i] = max[2 * i].max(max[2 * i + 1]);
        }
        Self { leaves, max }
    }

    /// The last position before `end` whose value is above `bound`.
    fn last_above(&self, end: usize, bound: usize) -> Option<usize> {
        if end == 0 || self.leaves == 0 {
            return None;
        }
        self.last_above_in(1, 0, self.leaves, end, bound)
    }

    /// The same within the node `i`, which covers the positions `from..to`. Recursion as deep
    /// as the tree: at most 64.
    fn last_above_in(
        &self,
        i: usize,
        from: usize,
        to: usize,
        end: usize,
        bound: usize,
    ) -> Option<usize> {
        if from >= end || self.max[i] <= bound {
            return None;
        }
        if to - from == 1 {
            return Some(from);
        }
        let middle = (from + to) / 2;
        self.last_above_in(2 * i + 1, middle, to, end, bound)
            .or_else(|| self.last_above_in(2 * i, from, middle, end, bound))
    }
}

#[cfg(test)]
mod tests {
    use super::MaxTree;

    #[test]
    fn last_above_finds_the_last_position_above_the_bound() {
        let values = vec![5, 0, 9, 3, 0, 7, 2];
        let tree = MaxTree::new(values.clone());
        for end in 0..=values.len() {
            for bound in 0..11 {
                let expected = (0..end).rev().find(|&p| values[p] > bound);
                assert_eq!(tree.last_above(end, bound), expected, "{end} {bound}");
            }
        }
        assert_eq!(MaxTree::new(Vec::new()).last_above(0, 0), None);
    }
}
