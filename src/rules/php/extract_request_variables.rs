//! PHP005: `extract()` of request data, which re-creates register_globals by hand. Found on the
//! scan's tokens: no syntax tree needed.

use crate::formats::php::tokens::{is_function_call, tokens, Token};
use crate::formats::php::PhpFile;
use crate::rules::Reporter;

php_rule! {
    code: "PHP005",
    name: "extract-request-variables",
    prefilter: &[&["extract"], REQUEST_ARRAYS],
    run: run,
}

const REQUEST_ARRAYS: &[&str] = &[
    "$_GET",
    "$_POST",
    "$_REQUEST",
    "$_COOKIE",
    "$_SERVER",
    "$_FILES",
];

fn run(file: &PhpFile, cx: &mut Reporter) {
    let bytes = file.bytes();
    let tokens = tokens(bytes, file.scan());
    for (i, token) in tokens.iter().enumerate() {
        if !token.is_word(bytes, "extract") || !is_function_call(bytes, &tokens, i) {
            continue;
        }
        // extract ( $_GET [,)] — the whole first argument is the request array.
        let (Some(Token::Word(argument)), Some(after)) = (tokens.get(i + 2), tokens.get(i + 3))
        else {
            continue;
        };
        let array = &file.source.text()[argument.clone()];
        if !REQUEST_ARRAYS.contains(&array) || !(after.is_punct(b',') || after.is_punct(b')')) {
            continue;
        }
        // With EXTR_PREFIX_ALL every name gets the prefix: no existing variable can be set.
        if after.is_punct(b',')
            && tokens
                .get(i + 4)
                .is_some_and(|t| t.is_word(bytes, "EXTR_PREFIX_ALL"))
        {
            continue;
        }
        let call_end = call_end(&tokens, i + 1).unwrap_or(argument.end);
        cx.report(
            token.span().start..call_end,
            format!(
                "extract({array}) turns every request parameter into a variable: a client can set any variable this scope reads, as register_globals did"
            ),
        )
        .label(argument.clone(), "the client controls these keys")
        .note(format!("read the parameters you expect by name, e.g. `$id = {array}['id'] ?? null;`"));
    }
}

/// The end of the parenthesised argument list opening at `open`.
fn call_end(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for token in &tokens[open..] {
        if token.is_punct(b'(') {
            depth += 1;
        } else if token.is_punct(b')') {
            depth -= 1;
            if depth == 0 {
                return Some(token.span().end);
            }
        }
    }
    None
}
