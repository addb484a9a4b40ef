//! A semantic model of PHP code over its tree-sitter tree, for rules that follow values: the
//! parent and the scope of every node in constant time ([`index`]), what a function does with
//! its variables ([`scope`]), which assignments of a variable can reach a point ([`reaching`]),
//! and expressions read as values: strings taken apart, constant keys, local variables
//! ([`values`]).
//!
//! Each part is built in one pass over the code it covers; the walks up the tree and the
//! searches among assignments cost a constant or a logarithm, so that a rule using them stays
//! linear on deeply nested and very long code (`tests/php003.rs` tries 20,000 levels), and
//! nothing recurses as deep as the code nests.

pub mod index;
pub mod reaching;
pub mod scope;
pub mod values;
