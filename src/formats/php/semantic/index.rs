//! Every node of a tree with its parent, its subtree and its scope, each found in constant
//! time.
//!
//! tree-sitter keeps no parent links: `Node::parent()` searches down from the root, which
//! costs the node's depth, so a walk up from a node that is 20,000 blocks deep costs the square
//! of that. One pass over the tree records what the walks up need instead.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use tree_sitter::{Node, Tree};

use super::scope::FUNCTION_KINDS;

const NONE: u32 = u32::MAX;

/// A map keyed by node ids (or other numbers), hashed for speed, not against attacks: the keys
/// are addresses the file's content does not choose.
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Multiplies and folds the halves of the product, so that the low bits, which say where a
/// key goes, depend on every bit of it (node ids are aligned addresses, their low bits 0).
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let product = u128::from(self.0 ^ n) * 0x9e37_79b9_7f4a_7c15;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

pub struct TreeIndex<'t> {
    /// The nodes in document order (each before its children).
    nodes: Vec<Node<'t>>,
    /// Node id → position in `nodes`.
    positions: IdMap<usize, u32>,
    /// The parent's position, `NONE` for the root.
    parents: Vec<u32>,
    /// One past the position of the last node of the subtree.
    ends: Vec<u32>,
    /// The position of the function (or of the root) whose variables the node sees.
    scopes: Vec<u32>,
    /// `parent.child_by_field_name(field)`, which costs the parent's number of children, once
    /// per parent and field.
    fields: RefCell<IdMap<(u32, &'static str), Option<Node<'t>>>>,
}

impl<'t> TreeIndex<'t> {
    /// Indexes the whole tree.
    pub fn new(tree: &'t Tree) -> Self {
        let count = tree.root_node().descendant_count();
        let mut index = Self {
            nodes: Vec::with_capacity(count),
            positions: IdMap::with_capacity_and_hasher(count, Default::default()),
            parents: Vec::with_capacity(count),
            ends: Vec::with_capacity(count),
            scopes: Vec::with_capacity(count),
            fields: RefCell::default(),
        };
        let mut cursor = tree.walk();
        // The positions of the nodes whose children are being visited.
        let mut open: Vec<u32> = Vec::new();
        loop {
            let node = cursor.node();
            let position = index.push(node, open.last().copied().unwrap_or(NONE));
            if cursor.goto_first_child() {
                open.push(position);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return index;
                }
                let closed = open.pop().expect("a parent is open") as usize;
                index.ends[closed] = index.len();
            }
        }
    }

    fn push(&mut self, node: Node<'t>, parent: u32) -> u32 {
        let position = self.len();
        let scope = match parent {
            NONE => position,
            p if FUNCTION_KINDS.contains(&self.nodes[p as usize].kind()) => p,
            p => self.scopes[p as usize],
        };
        self.nodes.push(node);
        self.positions.insert(node.id(), position);
        self.parents.push(parent);
        self.ends.push(position + 1);
        self.scopes.push(scope);
        position
    }

    fn len(&self) -> u32 {
        u32::try_from(self.nodes.len()).expect("fewer than 2^32 nodes")
    }

    fn position(&self, node: Node) -> Option<u32> {
        self.positions.get(&node.id()).copied()
    }

    /// The same as `node.parent()`.
    pub fn parent(&self, node: Node<'t>) -> Option<Node<'t>> {
        let Some(position) = self.position(node) else {
            // Not from this tree: slow, but right.
            return node.parent();
        };
        match self.parents[position as usize] {
            NONE => None,
            parent => Some(self.nodes[parent as usize]),
        }
    }

    /// Whether `ancestor` is a proper ancestor of `node`.
    pub fn contains(&self, ancestor: Node<'t>, node: Node<'t>) -> bool {
        match (self.position(ancestor), self.position(node)) {
            (Some(a), Some(n)) => a < n && n < self.ends[a as usize],
            _ => {
                let mut current = node;
                while let Some(parent) = self.parent(current) {
                    if parent == ancestor {
                        return true;
                    }
                    current = parent;
                }
                false
            }
        }
    }

    /// Whether `a` comes before `b` in document order (a node comes before its children).
    pub fn precedes(&self, a: Node<'t>, b: Node<'t>) -> bool {
        match (self.position(a), self.position(b)) {
            (Some(a), Some(b)) => a < b,
            _ => {
                (a.start_byte(), std::cmp::Reverse(a.end_byte()))
                    < (b.start_byte(), std::cmp::Reverse(b.end_byte()))
            }
        }
    }

    /// The function (or the whole file) whose variables `node` sees: its nearest ancestor that
    /// is a function, else the root.
    pub fn scope_of(&self, node: Node<'t>) -> Node<'t> {
        match self.position(node) {
            Some(position) => self.nodes[self.scopes[position as usize] as usize],
            None => {
                let mut current = node;
                while let Some(parent) = self.parent(current) {
                    if FUNCTION_KINDS.contains(&parent.kind()) {
                        return parent;
                    }
                    current = parent;
                }
                current
            }
        }
    }

    /// The same as `parent.child_by_field_name(field)`.
    pub fn field(&self, parent: Node<'t>, field: &'static str) -> Option<Node<'t>> {
        let Some(position) = self.position(parent) else {
            return parent.child_by_field_name(field);
        };
        *self
            .fields
            .borrow_mut()
            .entry((position, field))
            .or_insert_with(|| parent.child_by_field_name(field))
    }
}
