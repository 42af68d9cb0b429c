use clap::Parser;
use offsetlab_gateway::{Config, child, run, shutdown_signal};

#[derive(clap::Parser)]
#[command(name = "offsetlab-gateway", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    role: Option<Role>,
    #[command(flatten)]
    config: Config,
}

#[derive(clap::Subcommand)]
enum Role {
    /// Runs one gateway-owned consumer; the gateway starts these itself.
    #[command(hide = true)]
    Consumer,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    if let Some(Role::Consumer) = cli.role {
        return tokio::task::block_in_place(child::run_consumer_process);
    }
    let config = cli.config;
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            tracing::error!("cannot listen on {}: {e}", config.listen);
            return std::process::ExitCode::FAILURE;
        }
    };
    match run(listener, config, shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("gateway stopped: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
