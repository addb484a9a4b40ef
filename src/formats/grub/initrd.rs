//! Whether an initrd image brings dmraid: streamed through its decompressor (gzip: flate2,
//! xz: liblzma, zstd: ruzstd) into a newc cpio reader, an uncompressed early cpio first
//! (dracut), stopping as soon as the answer is known, bounded, and read once per run per image
//! (a cache keyed by path, size and modification time).
//!
//! dmraid is there when the archive's `init` (mkinitrd's nash script) activates sets, or the
//! archive carries the dmraid program (dracut's dmraid module).

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::SystemTime;

/// What an image says of dmraid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// `gzip`, `xz`, `zstd`, `none`.
    pub compression: &'static str,
    /// What shows dmraid: "`init` line 12: `dmraid -ay …`" or "it carries `sbin/dmraid`".
    pub dmraid: Option<String>,
}

pub type Inspected = Arc<Result<Inspection, String>>;

/// At most this much archive is read (decompressed) before giving up.
pub const MAX_ARCHIVE: u64 = 2 << 30;
/// A member name longer than PATH_MAX is not a real archive.
const MAX_NAME: usize = 4096;
/// The largest `init` script read into memory.
const MAX_INIT: u64 = 4 << 20;
/// Members read at most.
const MAX_MEMBERS: usize = 1_000_000;

/// The lines of a nash `init` that set dmraid up (spec: mkinitrd 5.1.x).
const ACTIVATES: &[&str] = &[
    "dmraid -ay",
    "rmparts ",
    "dm create ",
    "dm partadd ",
    "kpartx -a",
];
/// Programs whose presence means the image can set up dmraid.
const PROGRAMS: &[&str] = &[
    "sbin/dmraid",
    "bin/dmraid",
    "usr/sbin/dmraid",
    "usr/bin/dmraid",
];

type Key = (PathBuf, u64, Option<SystemTime>);
static CACHE: LazyLock<Mutex<HashMap<Key, Inspected>>> = LazyLock::new(Default::default);

/// The inspection of the image at `path`, from the cache when this run read it already.
pub fn inspect(path: &Path) -> Inspected {
    let meta = match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => meta,
        Ok(_) => return Arc::new(Err("not a regular file".into())),
        Err(err) => return Arc::new(Err(crate::discover::describe_io(&err))),
    };
    let key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    // The lock is held while reading, so that two files naming one image do not read it
    // twice; images are few, and each is read once.
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(key)
        .or_insert_with(|| Arc::new(inspect_file(path)))
        .clone()
}

fn inspect_file(path: &Path) -> Result<Inspection, String> {
    let file = File::open(path).map_err(|e| crate::discover::describe_io(&e))?;
    inspect_reader(BufReader::with_capacity(64 * 1024, file)).map_err(|e| e.to_string())
}

/// Reads the archives of an image, one after another, until dmraid shows or the image ends.
pub fn inspect_reader(mut input: impl BufRead) -> io::Result<Inspection> {
    let mut compression = "none";
    let mut budget = MAX_ARCHIVE;
    loop {
        skip_zeros(&mut input)?;
        let head = input.fill_buf()?;
        if head.is_empty() {
            return Ok(Inspection {
                compression,
                dmraid: None,
            });
        }
        let found = if head.starts_with(b"0707") {
            read_cpio(&mut input, &mut budget)?
        } else if head.starts_with(&[0x1f, 0x8b]) {
            compression = "gzip";
            let decoder = flate2::bufread::MultiGzDecoder::new(input);
            return finish(compression, decoder, &mut budget);
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            compression = "xz";
            let decoder = liblzma::bufread::XzDecoder::new_multi_decoder(input);
            return finish(compression, decoder, &mut budget);
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            compression = "zstd";
            let decoder = ruzstd::decoding::StreamingDecoder::new(input)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            return finish(compression, decoder, &mut budget);
        } else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "not a newc cpio archive compressed with gzip, xz or zstd (starts with {:02x?})",
                    &head[..head.len().min(6)]
                ),
            ));
        };
        if found.is_some() {
            return Ok(Inspection {
                compression,
                dmraid: found,
            });
        }
    }
}

/// The archives inside a decompressed stream.
fn finish(
    compression: &'static str,
    decoder: impl Read,
    budget: &mut u64,
) -> io::Result<Inspection> {
    let mut input = BufReader::with_capacity(64 * 1024, decoder);
    loop {
        skip_zeros(&mut input)?;
        if input.fill_buf()?.is_empty() {
            return Ok(Inspection {
                compression,
                dmraid: None,
            });
        }
        if let Some(found) = read_cpio(&mut input, budget)? {
            return Ok(Inspection {
                compression,
                dmraid: Some(found),
            });
        }
    }
}

fn skip_zeros(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        let zeros = buf.iter().take_while(|&&b| b == 0).count();
        let done = zeros < buf.len();
        input.consume(zeros);
        if done {
            return Ok(());
        }
    }
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// Reads one newc archive (up to its `TRAILER!!!`), returning what shows dmraid if anything.
fn read_cpio(input: &mut impl BufRead, budget: &mut u64) -> io::Result<Option<String>> {
    for _ in 0..MAX_MEMBERS {
        let mut header = [0u8; 110];
        input.read_exact(&mut header).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => invalid("the cpio archive ends inside a header"),
            _ => e,
        })?;
        if &header[..5] != b"07070" || !matches!(header[5], b'1' | b'2') {
            return Err(invalid("not a newc cpio header (magic 070701/070702)"));
        }
        let field = |i: usize| -> io::Result<u64> {
            let hex = &header[6 + 8 * i..14 + 8 * i];
            std::str::from_utf8(hex)
                .ok()
                .and_then(|s| u64::from_str_radix(s, 16).ok())
                .ok_or_else(|| invalid("a cpio header field is not hexadecimal"))
        };
        let size = field(6)?;
        let name_size = field(11)? as usize;
        if name_size == 0 || name_size > MAX_NAME {
            return Err(invalid(format!("a cpio member name of {name_size} bytes")));
        }
        let mut name = vec![0u8; name_size];
        input.read_exact(&mut name)?;
        name.pop(); // its NUL
        skip(input, pad4(110 + name_size as u64))?;
        let spent = 110 + name_size as u64 + size;
        *budget = budget
            .checked_sub(spent)
            .ok_or_else(|| invalid(format!("more than {MAX_ARCHIVE} bytes of archive")))?;
        if name == b"TRAILER!!!" {
            skip(input, size + pad4(size))?;
            return Ok(None);
        }
        let name = String::from_utf8_lossy(&name);
        let name = name.trim_start_matches("./").trim_start_matches('/');
        let mode = field(1)?;
        let regular = mode & 0o170000 == 0o100000;
        if PROGRAMS.contains(&name) && (regular || mode & 0o170000 == 0o120000) {
            return Ok(Some(format!("it carries `{name}`")));
        }
        if name == "init" && regular && size <= MAX_INIT {
            let mut script = vec![0u8; size as usize];
            input.read_exact(&mut script)?;
            skip(input, pad4(size))?;
            if let Some(line) = activation(&script) {
                return Ok(Some(line));
            }
            continue;
        }
        skip(input, size + pad4(size))?;
    }
    Err(invalid(format!("more than {MAX_MEMBERS} cpio members")))
}

fn pad4(n: u64) -> u64 {
    (4 - n % 4) % 4
}

fn skip(input: &mut impl BufRead, n: u64) -> io::Result<()> {
    let copied = io::copy(&mut input.take(n), &mut io::sink())?;
    if copied < n {
        return Err(invalid("the cpio archive ends inside a member"));
    }
    Ok(())
}

/// The first line of a nash `init` that activates dmraid sets.
pub fn activation(script: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(script);
    text.lines().enumerate().find_map(|(i, line)| {
        let line = line.trim();
        let command = line.split('#').next().unwrap_or("");
        ACTIVATES
            .iter()
            .any(|needle| command.contains(needle))
            .then(|| format!("its `init` line {}: `{line}`", i + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A newc archive of `files` (name, content), in the layout `cpio -o -H newc` writes.
    fn newc(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut add = |name: &str, data: &[u8], mode: u32| {
            let header = format!(
                "070701{:08x}{mode:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}",
                1, 0, 0, 1, 0, data.len(), 0, 0, 0, 0, name.len() + 1, 0
            );
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            while out.len() % 4 != 0 {
                out.push(0);
            }
            out.extend_from_slice(data);
            while out.len() % 4 != 0 {
                out.push(0);
            }
        };
        for (name, data) in files {
            add(name, data, 0o100755);
        }
        add("TRAILER!!!", b"", 0);
        out
    }

    #[test]
    fn nash_init_with_and_without_dmraid() {
        let with = newc(&[(
            "init",
            b"#!/bin/nash\necho Scanning\ndmraid -ay -i -p --rm_partitions \"pdc_x\"\n",
        )]);
        let found = inspect_reader(&with[..]).unwrap();
        assert_eq!(found.compression, "none");
        assert!(found.dmraid.unwrap().contains("line 3"));
        let without = newc(&[
            ("init", b"#!/bin/nash\n# dmraid -ay\nmount /sysroot\n"),
            ("bin/nash", b"x"),
        ]);
        assert_eq!(inspect_reader(&without[..]).unwrap().dmraid, None);
    }

    #[test]
    fn an_early_cpio_then_a_compressed_one() {
        use std::io::Write;
        let mut image = newc(&[("early_cpio", b"1")]);
        image.extend_from_slice(&[0; 512]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&newc(&[("usr/sbin/dmraid", b"ELF")])).unwrap();
        image.extend(gz.finish().unwrap());
        let found = inspect_reader(&image[..]).unwrap();
        assert_eq!(found.compression, "gzip");
        assert_eq!(
            found.dmraid.as_deref(),
            Some("it carries `usr/sbin/dmraid`")
        );
    }

    #[test]
    fn hostile_archives_are_errors() {
        assert!(inspect_reader(&b"070701zzzz"[..]).is_err());
        let mut huge_name = newc(&[("init", b"")]);
        huge_name[94..102].copy_from_slice(b"ffffffff");
        assert!(inspect_reader(&huge_name[..]).is_err());
        assert!(inspect_reader(&b"hello"[..]).is_err());
        assert_eq!(inspect_reader(&b""[..]).unwrap().dmraid, None);
    }
}
