fn main() {
    offsetlab::start();
}
