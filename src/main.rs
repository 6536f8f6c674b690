fn main() {
    // The userns helper is re-executed for every layer: dispatch it before clap to keep it cheap.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(lodger::userns::HELPER_ARG) {
        std::process::exit(lodger::userns::helper_main(&args[2..]));
    }
    if args.get(1).map(String::as_str) == Some(lodger::monitor::ARG) {
        std::process::exit(lodger::monitor::main(&args[2..]));
    }
    if args.get(1).map(String::as_str) == Some(lodger::network::forward::ARG) {
        std::process::exit(lodger::network::forward::main(&args[2..]));
    }
    std::process::exit(lodger::cli::main());
}
