//! The plan shown in the README is the plan rollbook writes today.

use rollbook::plan::{self, Options};
use rollbook::render;
use rollbook::spec::load::load;

#[test]
fn readme_example_plan_is_current() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = "<!-- plan:examples/stateless-k8s.yaml -->\n````markdown\n";
    let from = readme
        .find(start)
        .expect("README has the example plan marker")
        + start.len();
    let to = from
        + readme[from..]
            .find("````\n<!-- /plan -->")
            .expect("end marker");
    let input = load("examples/stateless-k8s.yaml").unwrap();
    let md = render::markdown::render(&plan::build(&input, &Options::default()).unwrap());
    assert!(
        readme[from..to] == md,
        "README.md's example plan is stale: replace it with the output of `cargo run -- plan examples/stateless-k8s.yaml`"
    );
}
