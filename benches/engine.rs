//! Benchmarks of the number engine: cells per second on a realistic mix of contact-file
//! cells, on bare 11-digit mobiles (the fast path), and on messy cells only.
//!
//! Run: `cargo bench --bench engine`. Figures and their history: BENCHMARKS.md.

use std::hint::black_box;

use contact_audit::phone::Engine;
use contact_audit::rules::RuleSet;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// A deterministic mix shaped like a loan centre's contact columns: mostly plain mobiles,
/// then landlines written every way, damaged and wrong numbers, empties and notes.
fn realistic_mix(n: usize) -> Vec<String> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let blocks = [
        "139", "138", "186", "159", "177", "133", "150", "188", "199", "170", "145", "154",
    ];
    (0..n)
        .map(|_| {
            let r = next();
            let block = blocks[(r % blocks.len() as u64) as usize];
            let tail = r / 7 % 100_000_000;
            let local = 20_000_000 + r / 11 % 70_000_000;
            match r % 100 {
                0..=54 => format!("{block}{tail:08}"),
                55..=59 => format!("{block}-{:04}-{:04}", tail / 10_000, tail % 10_000),
                60..=62 => format!("+86 {block} {tail:08}"),
                63..=64 => format!("{block}{tail:08}.0"),
                65..=71 => format!("027-{local}"),
                72..=74 => format!("(027){local}转{}", r % 9000 + 1000),
                75..=77 => format!("027-{}", local / 10),
                78..=80 => format!("{block}{:07}", tail / 10),
                81..=82 => "95588".to_string(),
                83..=85 => String::new(),
                86..=87 => "无".to_string(),
                88..=89 => format!("手机：{block}{tail:08}"),
                90..=91 => format!("{block}{tail:08}/{local}"),
                92 => "1.38001E+10".to_string(),
                93 => format!("{block}****{:04}", tail % 10_000),
                94..=95 => format!("0592-{}", local / 10),
                _ => format!("{local}"),
            }
        })
        .collect()
}

fn bench_engine(c: &mut Criterion) {
    let rules = RuleSet::embedded();
    let engine = Engine::new(&rules);
    let mix = realistic_mix(100_000);
    let mobiles: Vec<String> = (0..100_000u64)
        .map(|i| format!("139{:08}", i * 7919 % 100_000_000))
        .collect();
    let messy: Vec<String> = mix.iter().filter(|c| c.len() != 11).cloned().collect();
    let mut group = c.benchmark_group("check");
    for (name, cells) in [
        ("realistic_mix", &mix),
        ("plain_mobiles", &mobiles),
        ("messy_only", &messy),
    ] {
        group.throughput(Throughput::Elements(cells.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                for cell in cells {
                    black_box(engine.check(black_box(cell)));
                }
            });
        });
    }
    group.finish();
}

fn bench_rules(c: &mut Criterion) {
    c.bench_function("rules/embedded_load", |b| b.iter(|| black_box(RuleSet::embedded())));
}

criterion_group!(benches, bench_engine, bench_rules);
criterion_main!(benches);
