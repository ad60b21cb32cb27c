# rollbook in a small image: built with the Rust version Cargo.toml asks for, run as a non-root
# user on Debian slim (git for `--git`, CA certificates for nothing rollbook fetches: it fetches
# nothing). Build: docker build -t rollbook .   Run: docker run --rm -v "$PWD:/work" rollbook check
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY templates ./templates
COPY benches ./benches
# Rule fixtures are embedded in the binary: `rollbook explain` prints them as examples.
COPY tests/fixtures/rules ./tests/fixtures/rules
RUN cargo build --profile dist --locked --bin rollbook

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 10001 --create-home --shell /usr/sbin/nologin rollbook \
    && git config --system --add safe.directory /work
COPY --from=build /src/target/dist/rollbook /usr/local/bin/rollbook
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["rollbook"]
CMD ["--help"]
