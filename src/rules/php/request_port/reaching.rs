//! The plain assignments to one variable in a scope, arranged so that finding those that reach
//! a point costs a logarithm of their number, not their number: a function with thousands of
//! `if (…) { $port = …; }` followed by thousands of calls must not go through all of them for
//! each call.

use tree_sitter::Node;

use super::index::TreeIndex;

/// What an assignment gives, as far as the values of hosts and ports go.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Assigned {
    /// The current request's port (`$_SERVER['SERVER_PORT']`…).
    RequestPort,
    /// The parts of a URL: `parse_url($url)`, with no component.
    UrlParts,
    Other,
}

struct Assignment<'t> {
    /// Where the assigned variable starts: the assignments are in this order.
    variable_start: usize,
    node: Node<'t>,
    /// The parent of the assignment's statement when the assignment is a statement by
    /// itself (see `always_runs_before`).
    block: Option<Node<'t>>,
}

/// The plain assignments to one variable, in document order.
#[derive(Default)]
pub struct Assignments<'t> {
    list: Vec<Assignment<'t>>,
    /// For each assignment that is a statement by itself, where its block ends (0 for the
    /// others): the assignment runs before everything in the block after it.
    block_ends: MaxTree,
    /// The positions in `list` of those that give the request's port.
    request_port: Vec<usize>,
    /// The positions in `list` of those that do not give a URL's parts.
    not_url_parts: Vec<usize>,
}

impl<'t> Assignments<'t> {
    /// Adds `assignment` of the variable at `variable`; calls come in document order.
    pub fn push(
        &mut self,
        index: &TreeIndex<'t>,
        variable: Node<'t>,
        assignment: Node<'t>,
        value: Assigned,
    ) {
        let block = index
            .parent(assignment)
            .filter(|p| p.kind() == "expression_statement")
            .and_then(|statement| index.parent(statement));
        let position = self.list.len();
        if value == Assigned::RequestPort {
            self.request_port.push(position);
        }
        if value != Assigned::UrlParts {
            self.not_url_parts.push(position);
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
    pub fn reaching<'s>(&'s self, index: &TreeIndex<'t>, at: Node<'t>) -> Reaching<'s, 't> {
        let start = at.start_byte();
        // An assignment that ends before `at` has its variable before `at`.
        let end = self.list.partition_point(|a| a.variable_start <= start);
        let mut reaching = Reaching {
            list: &self.list[..end],
            start,
            first: 0,
            request_port: &self.request_port,
            not_url_parts: &self.not_url_parts,
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
pub struct Reaching<'s, 't> {
    /// The assignments whose variables start before the point…
    list: &'s [Assignment<'t>],
    /// …where the point starts…
    start: usize,
    /// …from this position on, those that end before the point.
    first: usize,
    /// `Assignments::request_port` and `not_url_parts`.
    request_port: &'s [usize],
    not_url_parts: &'s [usize],
}

impl<'t> Reaching<'_, 't> {
    /// For a variable that is never assigned.
    pub fn none() -> Self {
        Self {
            list: &[],
            start: 0,
            first: 0,
            request_port: &[],
            not_url_parts: &[],
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

    /// The latest of them that gives the request's port.
    pub fn latest_request_port(&self) -> Option<Node<'t>> {
        self.latest_among(self.request_port)
    }

    /// Whether there is one and all give a URL's parts.
    pub fn all_url_parts(&self) -> bool {
        self.latest().is_some() && self.latest_among(self.not_url_parts).is_none()
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
