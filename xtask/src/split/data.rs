//! Moves the read-only data only the second module's code uses into the
//! second module.
//!
//! `wasm-split` moves functions, but both modules share one memory and all
//! its data stays in the first: the strings and tables of code a first
//! screen never runs (the code templates, option explanations, error
//! messages, live mode's protocol) are downloaded before the page can show.
//! Here each static the linker placed (its map, `--Map`, says where each
//! one starts and ends) stays in the first module when the first module's
//! code, or data kept there, could point at it; any other read-only static
//! is zeroed in the first module and written by the second, as an active
//! data segment, when the second is instantiated, before any of its code
//! runs. Zeroed bytes cost next to nothing gzipped.
//!
//! "Could point at it" is read from the code, conservatively: every
//! `i32.const`, both halves of every `i64.const` (LLVM stores a `&str`'s
//! pointer and length as one `i64`), every load's and store's constant
//! offset, with and without the constants just before it. Each keeps the
//! static it points into, the one it is the end of, and those starting
//! within 64 bytes after it (LLVM folds indexes into addresses: `table[i -
//! 1]` is read from before the table, and a loop may walk a table from its
//! end with a negative index). Mutable
//! statics (`.data`, `.bss`) never move, and everything any kept static
//! holds that looks like an address keeps its static too.

use std::ops::Range;

/// How much moved, for the build's log.
#[derive(Debug, PartialEq)]
pub struct Moved {
    pub statics: usize,
    pub bytes: u32,
}

/// A static the linker placed: its addresses, and whether it is read-only.
#[derive(Clone, Debug, PartialEq)]
pub struct Static {
    pub at: Range<u32>,
    pub read_only: bool,
    /// The linker's own section of merged string constants (`<internal>`),
    /// which holds NUL-terminated strings only.
    pub merged_strings: bool,
}

/// How far before a static a constant address still counts as pointing at it.
const REACH: u32 = 64;

/// Returns the first and the second module with the second's read-only
/// data moved into it; `statics` are from the linker's map of the build
/// both came from (`statics_from_map`).
pub fn move_rest_only_data(
    first: &[u8],
    rest: &[u8],
    statics: &[Static],
) -> Result<(Vec<u8>, Vec<u8>, Moved), String> {
    let first_sections = sections(first)?;
    let rest_sections = sections(rest)?;
    if rest_sections.iter().any(|(id, _)| *id == DATA) {
        return Err("the second module already has data".into());
    }
    let data = section(&first_sections, DATA).ok_or("the first module has no data section")?;
    let segments = data_segments(first, data)?;
    let image = Image { module: first, segments: &segments };
    let statics = split_merged_strings(statics, &image);

    let mut addresses = Vec::new();
    if let Some(code) = section(&first_sections, CODE) {
        code_addresses(&first[code.clone()], &mut addresses)?;
    }
    if let Some(globals) = section(&first_sections, GLOBAL) {
        global_addresses(&first[globals.clone()], &mut addresses)?;
    }
    let keep = kept(&statics, &addresses, &image);

    // Runs of moved statics, with the padding between neighbours.
    let mut runs: Vec<Range<u32>> = Vec::new();
    let mut moved = Moved { statics: 0, bytes: 0 };
    let mut last_moved = false;
    for (s, kept) in statics.iter().zip(&keep) {
        let moves = s.read_only && !kept && image.bytes(s.at.clone()).iter().any(|&b| b != 0);
        if moves {
            moved.statics += 1;
            moved.bytes += s.at.end - s.at.start;
            match runs.last_mut() {
                // Joined across the linker's padding, which is zeros.
                Some(run)
                    if last_moved
                        && s.at.start - run.end <= 16
                        && image.bytes(run.end..s.at.start).iter().all(|&b| b == 0) =>
                {
                    run.end = s.at.end
                }
                _ => runs.push(s.at.clone()),
            }
        }
        last_moved = moves;
    }

    let mut first_out = first.to_vec();
    for seg in &segments {
        for run in &runs {
            let from = run.start.max(seg.at);
            let to = run.end.min(seg.at + seg.bytes.len() as u32);
            if from < to {
                let base = seg.bytes.start + (from - seg.at) as usize;
                first_out[base..base + (to - from) as usize].fill(0);
            }
        }
    }
    let mut body = Vec::new();
    uleb(&mut body, runs.len() as u32);
    for run in &runs {
        // Active, memory 0, at `i32.const start`.
        body.extend([0x00, 0x41]);
        sleb(&mut body, i64::from(run.start as i32));
        body.push(0x0b);
        uleb(&mut body, run.end - run.start);
        body.extend_from_slice(&image.bytes(run.clone()));
    }
    let mut rest_out = rest.to_vec();
    if !runs.is_empty() {
        rest_out.push(DATA);
        uleb(&mut rest_out, body.len() as u32);
        rest_out.extend(body);
    }
    Ok((first_out, rest_out, moved))
}

/// The linker merges the program's string constants (format strings among
/// them) into one section; each string in it is a static of its own. A
/// string may be the tail of a longer one, so a pointer into a string
/// keeps the whole of it.
fn split_merged_strings(statics: &[Static], image: &Image) -> Vec<Static> {
    let mut out = Vec::with_capacity(statics.len());
    for s in statics {
        if !s.merged_strings {
            out.push(s.clone());
            continue;
        }
        let bytes = image.bytes(s.at.clone());
        let mut start = s.at.start;
        for piece in bytes.split_inclusive(|&b| b == 0) {
            let end = start + piece.len() as u32;
            out.push(Static { at: start..end, ..s.clone() });
            start = end;
        }
    }
    out
}

/// Which statics stay in the first module (see the module's comment).
fn kept(statics: &[Static], addresses: &[u32], image: &Image) -> Vec<bool> {
    let Some(span) = statics.first().map(|f| f.at.start..statics.last().map_or(0, |l| l.at.end)) else {
        return Vec::new();
    };
    let containing = |a: u32| {
        let i = statics.partition_point(|s| s.at.start <= a);
        (i > 0 && statics[i - 1].at.contains(&a)).then(|| i - 1)
    };
    let mut keep = vec![false; statics.len()];
    let mut todo: Vec<usize> = (0..statics.len()).filter(|&i| !statics[i].read_only).collect();
    for &a in addresses {
        if a.saturating_add(REACH) < span.start || a > span.end {
            continue;
        }
        // LLVM folds indexes into addresses: `table[i - 1]` is read from
        // before the table, and a loop may walk a table from its end.
        todo.extend(containing(a));
        todo.extend(a.checked_sub(1).and_then(containing));
        let after = statics.partition_point(|s| s.at.start <= a);
        let reach = statics.partition_point(|s| s.at.start <= a.saturating_add(REACH));
        todo.extend(after..reach);
    }
    while let Some(i) = todo.pop() {
        if std::mem::replace(&mut keep[i], true) {
            continue;
        }
        let bytes = image.bytes(statics[i].at.clone());
        for word in bytes.windows(4) {
            let a = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
            if span.contains(&a) {
                todo.extend(containing(a));
            }
        }
    }
    keep
}

/// The statics in the linker's map, in address order: every input section
/// placed in memory (the lines with an address and an `file:(section)`).
pub fn statics_from_map(map: &str) -> Result<Vec<Static>, String> {
    let mut lines = map.lines();
    let header = lines.next().unwrap_or("");
    if !(header.contains("Addr") && header.contains("Symbol")) {
        return Err(format!("not a wasm-ld map: it starts with {header:?}"));
    }
    let mut statics = Vec::new();
    for line in lines {
        let mut fields = line.split_whitespace();
        let (Some(addr), Some(_offset), Some(size)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let Some(section) = line.rfind(":(").and_then(|at| line[at + 2..].strip_suffix(')')) else {
            continue;
        };
        // Code and the sections that are not in memory have no address.
        let Ok(start) = u32::from_str_radix(addr, 16) else { continue };
        let size = u32::from_str_radix(size, 16).map_err(|_| format!("a size that is not hex: {line}"))?;
        if size == 0 {
            continue;
        }
        let end = start.checked_add(size).ok_or_else(|| format!("past 4 GiB: {line}"))?;
        let read_only = section.starts_with(".rodata");
        let merged_strings = read_only && line[..line.rfind(":(").unwrap_or(0)].ends_with("<internal>");
        statics.push(Static { at: start..end, read_only, merged_strings });
    }
    if statics.is_empty() {
        return Err("the map places no statics in memory".into());
    }
    statics.sort_by_key(|s| s.at.start);
    if let Some(pair) = statics.windows(2).find(|p| p[0].at.end > p[1].at.start) {
        return Err(format!("statics overlap in the map: {:x?} and {:x?}", pair[0].at, pair[1].at));
    }
    Ok(statics)
}

const GLOBAL: u8 = 6;
const CODE: u8 = 10;
const DATA: u8 = 11;

/// The module's sections: id and where its body is.
fn sections(module: &[u8]) -> Result<Vec<(u8, Range<usize>)>, String> {
    if module.get(..8) != Some(b"\0asm\x01\0\0\0") {
        return Err("not a WebAssembly module (version 1)".into());
    }
    let mut r = Reader { bytes: module, at: 8 };
    let mut out = Vec::new();
    while r.at < module.len() {
        let id = r.byte()?;
        let size = r.u32()? as usize;
        let start = r.at;
        r.skip(size)?;
        out.push((id, start..start + size));
    }
    Ok(out)
}

fn section(sections: &[(u8, Range<usize>)], id: u8) -> Option<Range<usize>> {
    sections.iter().find(|(i, _)| *i == id).map(|(_, r)| r.clone())
}

/// An active data segment: its address, and where its bytes are in the file.
struct Segment {
    at: u32,
    bytes: Range<usize>,
}

/// The active segments of the data section at `section` in `module`.
fn data_segments(module: &[u8], section: Range<usize>) -> Result<Vec<Segment>, String> {
    let mut r = Reader { bytes: &module[..section.end], at: section.start };
    let count = r.u32()?;
    let mut out = Vec::new();
    for _ in 0..count {
        match r.u32()? {
            0 => {}
            flags => return Err(format!("a data segment the split cannot move around (flags {flags})")),
        }
        if r.byte()? != 0x41 {
            return Err("a data segment whose address is not an i32.const".into());
        }
        let at = r.s64()? as u32;
        if r.byte()? != 0x0b {
            return Err("a data segment's address is more than one constant".into());
        }
        let len = r.u32()? as usize;
        out.push(Segment { at, bytes: r.at..r.at + len });
        r.skip(len)?;
    }
    Ok(out)
}

/// The first module's data as memory holds it at the start.
struct Image<'a> {
    module: &'a [u8],
    segments: &'a [Segment],
}

impl Image<'_> {
    fn bytes(&self, at: Range<u32>) -> Vec<u8> {
        let mut out = vec![0; (at.end - at.start) as usize];
        for seg in self.segments {
            let from = at.start.max(seg.at);
            let to = at.end.min(seg.at + (seg.bytes.end - seg.bytes.start) as u32);
            if from < to {
                let src = seg.bytes.start + (from - seg.at) as usize;
                out[(from - at.start) as usize..(to - at.start) as usize]
                    .copy_from_slice(&self.module[src..src + (to - from) as usize]);
            }
        }
        out
    }
}

/// Every constant in the code section's functions that could be an address
/// (see the module's comment).
fn code_addresses(body: &[u8], out: &mut Vec<u32>) -> Result<(), String> {
    let mut r = Reader { bytes: body, at: 0 };
    for _ in 0..r.u32()? {
        let size = r.u32()? as usize;
        let end = r.at + size;
        for _ in 0..r.u32()? {
            r.u32()?;
            r.byte()?;
        }
        let mut recent = [0u32; 2];
        while r.at < end {
            let at = r.at;
            let op = r.byte()?;
            match op {
                0x00 | 0x01 | 0x05 | 0x0b | 0x0f | 0x1a | 0x1b | 0x45..=0xc4 | 0xd1 => {}
                0x02..=0x04 => {
                    r.s64()?;
                }
                0x0c | 0x0d | 0x10 | 0x12 | 0x20..=0x26 | 0xd2 => {
                    r.u32()?;
                }
                0x0e => {
                    for _ in 0..=r.u32()? {
                        r.u32()?;
                    }
                }
                0x11 | 0x13 => {
                    r.u32()?;
                    r.u32()?;
                }
                0x1c => {
                    let n = r.u32()? as usize;
                    r.skip(n)?;
                }
                0x28..=0x3e => {
                    r.u32()?;
                    let offset = r.u32()?;
                    out.push(offset);
                    out.extend(recent.map(|c| c.wrapping_add(offset)));
                }
                0x3f | 0x40 | 0xd0 => {
                    r.byte()?;
                }
                0x41 => {
                    let c = r.s64()? as u32;
                    out.push(c);
                    recent = [recent[1], c];
                }
                0x42 => {
                    let c = r.s64()? as u64;
                    out.extend([c as u32, (c >> 32) as u32]);
                }
                0x43 => r.skip(4)?,
                0x44 => r.skip(8)?,
                0xfc => match r.u32()? {
                    0..=7 => {}
                    8 => {
                        r.u32()?;
                        r.byte()?;
                    }
                    9 | 13 | 15..=17 => {
                        r.u32()?;
                    }
                    10 => r.skip(2)?,
                    11 => r.skip(1)?,
                    12 | 14 => {
                        r.u32()?;
                        r.u32()?;
                    }
                    sub => return Err(format!("unknown instruction 0xfc {sub} at byte {at} of the code")),
                },
                _ => return Err(format!("unknown instruction 0x{op:02x} at byte {at} of the code")),
            }
        }
        if r.at != end {
            return Err(format!("a function's code ran past its end at byte {}", r.at));
        }
    }
    Ok(())
}

/// The constants globals start with (the stack pointer, the heap's base).
fn global_addresses(body: &[u8], out: &mut Vec<u32>) -> Result<(), String> {
    let mut r = Reader { bytes: body, at: 0 };
    for _ in 0..r.u32()? {
        r.byte()?;
        r.byte()?;
        loop {
            match r.byte()? {
                0x0b => break,
                0x41 => out.push(r.s64()? as u32),
                0x42 => {
                    let c = r.s64()? as u64;
                    out.extend([c as u32, (c >> 32) as u32]);
                }
                0x23 | 0xd2 => {
                    r.u32()?;
                }
                op => return Err(format!("a global starts with instruction 0x{op:02x}")),
            }
        }
    }
    Ok(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.bytes.get(self.at).ok_or("the module ends early")?;
        self.at += 1;
        Ok(b)
    }

    fn skip(&mut self, n: usize) -> Result<(), String> {
        if self.at + n > self.bytes.len() {
            return Err("the module ends early".into());
        }
        self.at += n;
        Ok(())
    }

    fn u32(&mut self) -> Result<u32, String> {
        let mut value = 0u64;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(value).map_err(|_| "a LEB128 number past u32".to_string());
            }
        }
        Err("a LEB128 number longer than five bytes".into())
    }

    fn s64(&mut self) -> Result<i64, String> {
        let mut value = 0i64;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            value |= i64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 {
                    value |= -1 << shift;
                }
                return Ok(value);
            }
            if shift >= 70 {
                return Err("a LEB128 number longer than ten bytes".into());
            }
        }
    }
}

fn uleb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(sections: &[(u8, Vec<u8>)]) -> Vec<u8> {
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        for (id, body) in sections {
            out.push(*id);
            uleb(&mut out, body.len() as u32);
            out.extend(body);
        }
        out
    }

    fn code(functions: &[Vec<u8>]) -> Vec<u8> {
        let mut out = Vec::new();
        uleb(&mut out, functions.len() as u32);
        for f in functions {
            // No locals, the instructions, `end`.
            let body = [&[0u8][..], f, &[0x0b]].concat();
            uleb(&mut out, body.len() as u32);
            out.extend(body);
        }
        out
    }

    fn i32_const(v: u32) -> Vec<u8> {
        let mut out = vec![0x41];
        sleb(&mut out, i64::from(v as i32));
        out
    }

    fn map_line(at: u32, size: u32, section: &str) -> String {
        format!(
            "{at:8x} {:8x} {size:8x}         /t/app.o:({section})\n{at:8x} {:8x} {size:8x}                 sym\n",
            0, 0
        )
    }

    const HEADER: &str = "    Addr      Off     Size Out     In      Symbol\n";

    /// Memory from 0x1000: the statics below, and the first module's code.
    fn example() -> (Vec<u8>, Vec<u8>, Vec<Static>) {
        let mut memory = vec![0u8; 0x900];
        let mut put = |at: u32, bytes: &[u8]| {
            memory[(at - 0x1000) as usize..(at - 0x1000) as usize + bytes.len()].copy_from_slice(bytes)
        };
        put(0x1000, &[0x00, 0x12, 0, 0, 4, 0, 0, 0]); // A: points at C
        put(0x1100, b"BBBBBBBB"); // B: the rest's
        put(0x1200, b"CCCC"); // C: only A points at it
        put(0x1300, b"DDDDDDDDDDDDDDDD"); // D: read from its end
        put(0x1400, b"EEEEEEEE"); // E: read from 8 bytes before it
        put(0x1500, b"FFFF"); // F: mutable, never moved
        put(0x1600, b"GGGGGGGG"); // G and H: the rest's, neighbours
        put(0x1608, b"HHHHHHHH");
        let x = [vec![b'x'; 70], vec![0]].concat();
        let keep = [b"keep".to_vec(), vec![b'k'; 80], vec![0]].concat();
        let y = [vec![b'y'; 70], vec![0]].concat();
        put(0x1800, &[x.clone(), keep.clone(), y.clone()].concat()); // merged strings
        let strings = (x.len() + keep.len() + y.len()) as u32;

        let mut map = HEADER.to_string();
        for (at, size, section) in [
            (0x1000, 8, ".rodata.A"),
            (0x1100, 8, ".rodata.B"),
            (0x1200, 4, ".rodata.C"),
            (0x1300, 16, ".rodata.D"),
            (0x1400, 8, ".rodata.E"),
            (0x1500, 4, ".data.F"),
            (0x1600, 8, ".rodata.G"),
            (0x1608, 8, ".rodata.H"),
            (0x1700, 4, ".rodata.Z"),
        ] {
            map.push_str(&map_line(at, size, section));
        }
        map.push_str(&format!("{:8x} {:8x} {strings:8x}         <internal>:(.rodata)\n", 0x1800, 0));

        let a_and_d =
            [i32_const(0x1000), vec![0x28, 0x02, 0x00], vec![0x1a], i32_const(0x1310), vec![0x1a]].concat();
        // E through a load's offset; then other instructions the reader
        // must step over: a block, br_table, call_indirect, memory.copy,
        // f64.const, i64.const.
        let e_and_more = [
            i32_const(0),
            vec![0x28, 0x02, 0xf8, 0x27, 0x1a], // i32.load offset=0x13f8; drop
            vec![0x02, 0x40, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x00, 0x0b], // block; br_table
            vec![0x41, 0x00, 0x11, 0x00, 0x00, 0x1a], // call_indirect
            vec![0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0a, 0x00, 0x00], // memory.copy
            vec![0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x1a], // f64.const 1; drop
            vec![0x42, 0x00, 0x1a],
        ]
        .concat();
        // The merged string "keep…" by an i64.const holding its pointer
        // and length, as LLVM stores a `&str`.
        let mut keep_str = vec![0x42];
        sleb(&mut keep_str, (85i64 << 32) | (0x1800 + x.len() as i64));
        keep_str.push(0x1a);

        let mut data = Vec::new();
        uleb(&mut data, 1);
        data.extend([0x00]);
        data.extend(i32_const(0x1000));
        data.push(0x0b);
        uleb(&mut data, memory.len() as u32);
        data.extend(&memory);
        let first = module(&[(CODE, code(&[a_and_d, e_and_more, keep_str])), (DATA, data)]);
        let rest = module(&[(CODE, code(&[i32_const(0x1100)]))]);
        (first, rest, statics_from_map(&map).unwrap())
    }

    fn memory_of(module: &[u8]) -> Vec<(u32, Vec<u8>)> {
        let sections = sections(module).unwrap();
        let data = section(&sections, DATA).unwrap();
        data_segments(module, data).unwrap().into_iter().map(|s| (s.at, module[s.bytes].to_vec())).collect()
    }

    #[test]
    fn only_read_only_statics_nothing_in_the_first_module_points_at_move() {
        let (first, rest, statics) = example();
        let (first_out, rest_out, moved) = move_rest_only_data(&first, &rest, &statics).unwrap();
        let y = [vec![b'y'; 70], vec![0]].concat();
        assert_eq!(moved, Moved { statics: 4, bytes: 8 + 16 + y.len() as u32 });

        let moved_segments = memory_of(&rest_out);
        assert_eq!(
            moved_segments,
            vec![
                (0x1100, b"BBBBBBBB".to_vec()),
                (0x1600, b"GGGGGGGGHHHHHHHH".to_vec()),
                (0x1800 + 71 + 85, y)
            ]
        );
        let [(at, first_memory)] = memory_of(&first_out).try_into().unwrap();
        assert_eq!(at, 0x1000);
        let (_, original) = &memory_of(&first)[0];
        for (i, (now, was)) in first_memory.iter().zip(original).enumerate() {
            let address = 0x1000 + i as u32;
            let in_moved =
                moved_segments.iter().any(|(at, bytes)| (*at..*at + bytes.len() as u32).contains(&address));
            assert_eq!(*now, if in_moved { 0 } else { *was }, "at {address:#x}");
        }
        // Everything else in the modules is as it was.
        assert_eq!(first_out.len(), first.len());
        assert_eq!(&rest_out[..rest.len()], &rest[..]);
    }

    #[test]
    fn nothing_moves_when_the_first_module_points_at_everything() {
        let (first, rest, statics) = example();
        let sections = sections(&first).unwrap();
        let data = section(&sections, DATA).unwrap();
        let starts = statics.iter().map(|s| s.at.start).collect::<Vec<_>>();
        let strings = [0x1800 + 71, 0x1800 + 71 + 85];
        let all = starts.into_iter().chain(strings).map(i32_const).collect::<Vec<_>>().concat();
        let pointing = module(&[(CODE, code(&[all])), (DATA, first[data].to_vec())]);
        let (first_out, rest_out, moved) = move_rest_only_data(&pointing, &rest, &statics).unwrap();
        assert_eq!(moved, Moved { statics: 0, bytes: 0 });
        assert_eq!((first_out, rest_out), (pointing, rest));
    }

    #[test]
    fn what_the_reader_does_not_know_is_an_error() {
        let (first, rest, statics) = example();
        let unknown = module(&[(CODE, code(&[vec![0xfd, 0x00]]))]);
        let err = move_rest_only_data(&[unknown, first[8..].to_vec()].concat(), &rest, &statics).unwrap_err();
        assert!(err.contains("unknown instruction 0xfd"), "{err}");
        assert!(statics_from_map("not a map").unwrap_err().contains("not a wasm-ld map"));
        assert!(
            move_rest_only_data(b"\0asm\x02\0\0\0", &rest, &statics)
                .unwrap_err()
                .contains("not a WebAssembly")
        );
        let (_, twice, _) = move_rest_only_data(&first, &rest, &statics).unwrap();
        assert!(move_rest_only_data(&first, &twice, &statics).unwrap_err().contains("already has data"));
    }

    #[test]
    fn the_map_gives_each_placed_static_in_address_order() {
        let map = format!(
            "{HEADER}       -       6b       49 CODE\n       -       6c       34         /t/app.o:(f)\n{}{}  100000  b5  1c .rodata\n",
            map_line(0x20, 4, ".data.b"),
            map_line(0x10, 8, ".rodata..Lanon.1"),
        );
        assert_eq!(
            statics_from_map(&map).unwrap(),
            vec![
                Static { at: 0x10..0x18, read_only: true, merged_strings: false },
                Static { at: 0x20..0x24, read_only: false, merged_strings: false },
            ]
        );
        let overlapping =
            format!("{HEADER}{}{}", map_line(0x10, 8, ".rodata.a"), map_line(0x14, 8, ".rodata.b"));
        assert!(statics_from_map(&overlapping).unwrap_err().contains("overlap"));
    }
}
