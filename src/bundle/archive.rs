//! The deterministic tar.gz writer: the same entries always give the same bytes.

use std::io::{self, Write};

use flate2::{Compression, GzBuilder};

/// Fixed so that archives never depend on a library default.
const COMPRESSION_LEVEL: u32 = 9;

/// Writes `entries` (sorted here by path) as a gzip-compressed tar archive. Every entry is a
/// regular file with mode 0644, uid/gid 0, no user or group name and `mtime` as its time; the
/// gzip header has no file name and a zero time. Returns the writer once everything is flushed.
pub(crate) fn write_archive<W: Write>(
    out: W,
    entries: &[(String, Vec<u8>)],
    mtime: u64,
) -> io::Result<W> {
    let mut sorted: Vec<&(String, Vec<u8>)> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let gz = GzBuilder::new()
        .mtime(0)
        .write(out, Compression::new(COMPRESSION_LEVEL));
    let mut tar = tar::Builder::new(gz);
    for (path, data) in sorted {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(mtime);
        header.set_username("")?;
        header.set_groupname("")?;
        tar.append_data(&mut header, path, data.as_slice())?;
    }
    let gz = tar.into_inner()?;
    let mut out = gz.finish()?;
    out.flush()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `limit` bytes, then fails like a full disk.
    struct FailAfter {
        written: Vec<u8>,
        limit: usize,
    }

    impl Write for FailAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.written.len() >= self.limit {
                return Err(io::Error::other("no space left on device (injected)"));
            }
            let n = buf.len().min(self.limit - self.written.len());
            self.written.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn entries() -> Vec<(String, Vec<u8>)> {
        vec![
            ("manifest.json".into(), b"{}\n".to_vec()),
            (
                "docs/B.md".into(),
                "# B\nŽaba 🐸\n".repeat(200).into_bytes(),
            ),
            ("docs/A.md".into(), b"# A\n".to_vec()),
        ]
    }

    #[test]
    fn same_entries_in_any_order_give_the_same_bytes() {
        let a = write_archive(Vec::new(), &entries(), 1_768_435_200).unwrap();
        let mut reversed = entries();
        reversed.reverse();
        let b = write_archive(Vec::new(), &reversed, 1_768_435_200).unwrap();
        assert_eq!(a, b);
        // gzip header: magic, method 8, no flags (no name), mtime 0.
        assert_eq!(&a[..8], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn entries_are_sorted_with_fixed_metadata() {
        let bytes = write_archive(Vec::new(), &entries(), 42).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let entry = entry.unwrap();
            let h = entry.header();
            assert_eq!(h.mode().unwrap(), 0o644);
            assert_eq!(h.uid().unwrap(), 0);
            assert_eq!(h.gid().unwrap(), 0);
            assert_eq!(h.mtime().unwrap(), 42);
            assert_eq!(h.username().unwrap(), Some(""));
            assert_eq!(h.groupname().unwrap(), Some(""));
            seen.push(entry.path().unwrap().to_string_lossy().into_owned());
        }
        assert_eq!(seen, ["docs/A.md", "docs/B.md", "manifest.json"]);
    }

    #[test]
    fn a_failing_writer_is_an_error_at_every_cut() {
        let full = write_archive(Vec::new(), &entries(), 0).unwrap().len();
        for limit in [0, 1, 10, full / 2, full - 1] {
            let err = write_archive(
                FailAfter {
                    written: Vec::new(),
                    limit,
                },
                &entries(),
                0,
            )
            .err();
            assert!(
                err.is_some(),
                "a cut after {limit} of {full} bytes went unnoticed"
            );
        }
    }
}
