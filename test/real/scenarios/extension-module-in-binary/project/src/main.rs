fn main() {
    let version = greeter::python_version().expect("Python answers");
    println!("{} from Python {version}", greeter::greet("world"));
}
