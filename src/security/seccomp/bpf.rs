//! Classic BPF for seccomp: a binary search over ranges of system call numbers, each range
//! ending in a return or in a short chain of argument checks.

/// One BPF instruction, laid out as the kernel's `struct sock_filter`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SockFilter {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

/// The kernel's `struct sock_fprog`.
#[repr(C)]
pub(crate) struct SockFprog {
    pub len: u16,
    pub filter: *const SockFilter,
}

pub(crate) const LD_W_ABS: u16 = 0x20;
pub(crate) const JEQ_K: u16 = 0x15;
pub(crate) const JGE_K: u16 = 0x35;
pub(crate) const JA: u16 = 0x05;
pub(crate) const RET_K: u16 = 0x06;

/// Kernel limit on the length of one filter (BPF_MAXINSNS).
pub(crate) const MAX_INSNS: usize = 4096;

pub(crate) const RET_ALLOW: u32 = 0x7fff_0000;
pub(crate) const RET_ERRNO: u32 = 0x0005_0000;

/// Offsets in `struct seccomp_data`.
pub(crate) const OFF_NR: u32 = 0;
pub(crate) const OFF_ARCH: u32 = 4;
pub(crate) const fn off_arg_lo(i: u32) -> u32 {
    16 + 8 * i
}

pub(crate) fn stmt(code: u16, k: u32) -> SockFilter {
    SockFilter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

pub(crate) fn jump(code: u16, k: u32, jt: u8, jf: u8) -> SockFilter {
    SockFilter { code, jt, jf, k }
}

/// A condition on one 64-bit argument: `args[arg] == value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArgEq {
    pub arg: u32,
    pub value: u64,
}

/// What happens to the system calls of one range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Return(u32),
    /// The first rule whose conditions all hold gives its return value; no rule, `default`.
    Rules(Vec<(Vec<ArgEq>, u32)>),
}

/// Code for one leaf; the accumulator holds the system call number on entry.
fn leaf(verdict: &Verdict, default: u32) -> Result<Vec<SockFilter>, String> {
    let rules = match verdict {
        Verdict::Return(ret) => return Ok(vec![stmt(RET_K, *ret)]),
        Verdict::Rules(rules) => rules,
    };
    let mut out = Vec::new();
    for (conds, ret) in rules {
        // Each condition is four instructions; on a mismatch jump past the rest of this
        // rule (the remaining conditions and its return).
        for (i, c) in conds.iter().enumerate() {
            let rest = (conds.len() - i - 1) * 4 + 1;
            let hi_skip = u8::try_from(rest + 2).map_err(|_| "argument rule too long")?;
            let lo_skip = u8::try_from(rest).map_err(|_| "argument rule too long")?;
            out.push(stmt(LD_W_ABS, off_arg_lo(c.arg) + 4));
            out.push(jump(JEQ_K, (c.value >> 32) as u32, 0, hi_skip));
            out.push(stmt(LD_W_ABS, off_arg_lo(c.arg)));
            out.push(jump(JEQ_K, c.value as u32, 0, lo_skip));
        }
        out.push(stmt(RET_K, *ret));
    }
    out.push(stmt(RET_K, default));
    Ok(out)
}

/// `ranges` are sorted by first number and cover every number from the first one up.
fn tree(ranges: &[(u32, Verdict)], default: u32) -> Result<Vec<SockFilter>, String> {
    if let [(_, verdict)] = ranges {
        return leaf(verdict, default);
    }
    let mid = ranges.len() / 2;
    let pivot = ranges[mid].0;
    let left = tree(&ranges[..mid], default)?;
    let right = tree(&ranges[mid..], default)?;
    let mut out = Vec::with_capacity(left.len() + right.len() + 2);
    match u8::try_from(left.len()) {
        Ok(skip) => out.push(jump(JGE_K, pivot, skip, 0)),
        Err(_) => {
            let far = u32::try_from(left.len()).map_err(|_| "filter too long")?;
            out.push(jump(JGE_K, pivot, 0, 1));
            out.push(stmt(JA, far));
        }
    }
    out.extend(left);
    out.extend(right);
    Ok(out)
}

/// The whole program: foreign architectures get `default`, then a search on the number.
/// `ranges` must start at 0.
pub(crate) fn program(
    audit_arch: u32,
    ranges: &[(u32, Verdict)],
    default: u32,
) -> Result<Vec<SockFilter>, String> {
    let mut out = vec![
        stmt(LD_W_ABS, OFF_ARCH),
        jump(JEQ_K, audit_arch, 1, 0),
        stmt(RET_K, default),
        stmt(LD_W_ABS, OFF_NR),
    ];
    out.extend(tree(ranges, default)?);
    if out.len() > MAX_INSNS {
        return Err(format!(
            "{} instructions, the kernel accepts at most {MAX_INSNS}",
            out.len()
        ));
    }
    Ok(out)
}

/// A BPF interpreter for the instructions above, to check programs without a kernel.
#[cfg(test)]
pub(crate) fn run(prog: &[SockFilter], arch: u32, nr: u32, args: [u64; 6]) -> u32 {
    let word = |off: u32| -> u32 {
        match off {
            OFF_NR => nr,
            OFF_ARCH => arch,
            o if (16..64).contains(&o) => {
                let a = args[((o - 16) / 8) as usize];
                if o % 8 == 0 {
                    a as u32
                } else {
                    (a >> 32) as u32
                }
            }
            o => panic!("load from offset {o}"),
        }
    };
    let (mut pc, mut acc) = (0usize, 0u32);
    loop {
        let i = prog[pc];
        pc += 1;
        match i.code {
            LD_W_ABS => acc = word(i.k),
            JEQ_K => pc += usize::from(if acc == i.k { i.jt } else { i.jf }),
            JGE_K => pc += usize::from(if acc >= i.k { i.jt } else { i.jf }),
            JA => pc += i.k as usize,
            RET_K => return i.k,
            c => panic!("unknown opcode {c:#x}"),
        }
    }
}
