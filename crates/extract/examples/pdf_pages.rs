//! Prints what the PDF worker reads out of each page of the given files,
//! in-process and raw (before the German clean-up). A diagnostic for
//! layout questions; never use it on untrusted files outside a sandbox.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                status = ExitCode::FAILURE;
                continue;
            }
        };
        println!("==== {path}");
        match ratsdoc_extract::pdf::worker::extract(&bytes) {
            ratsdoc_extract::pdf::protocol::Reply::Pages(pages) => {
                for (i, page) in pages.iter().enumerate() {
                    println!("---- page {}\n{page:?}", i + 1);
                }
            }
            failed => println!("{failed:?}"),
        }
    }
    status
}
