//! Registry documentation generated from the schemas, so descriptions have one source of truth.
//!
//! Every page under `docs/` that describes a schema is rendered here from the schema's descriptions
//! plus the examples in `examples/` (Terraform Registry layout, like `tfplugindocs`):
//! `docs/resources/<name>.md` from `examples/resources/<type>/{resource.tf,import.sh}` and, when it
//! exists, the hand-written `templates/resources/<name>.md` (usage notes placed after the example;
//! `templates/data-sources/<name>.md` likewise),
//! `docs/data-sources/<name>.md` from `examples/data-sources/<type>/data-source.tf`, and `docs/index.md`
//! from `templates/index.md` with the provider schema appended. `terraform-provider-teamsphone docs`
//! writes them; a unit test fails when a page is stale or an attribute has no description.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, NestedBlock, Schema,
};
use tf_provider::Diagnostics;

use crate::provider::registry::{self, PROVIDER};
use crate::provider::{provider_schema, ProviderData};

/// One generated file: its path below the repository root and its content.
#[derive(Debug, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub content: String,
}

fn type_name(attr_type: &AttributeType) -> String {
    match attr_type {
        AttributeType::String => "String".into(),
        AttributeType::Number => "Number".into(),
        AttributeType::Bool => "Boolean".into(),
        AttributeType::List(t) => format!("List of {}", type_name(t)),
        AttributeType::Set(t) => format!("Set of {}", type_name(t)),
        AttributeType::Map(t) => format!("Map of {}", type_name(t)),
        AttributeType::Object(_) => "Object".into(),
        AttributeType::Tuple(_) => "Tuple".into(),
        AttributeType::AttributeSingle(_) => "Attributes".into(),
        AttributeType::AttributeList(_) => "Attributes List".into(),
        AttributeType::AttributeSet(_) => "Attributes Set".into(),
        AttributeType::AttributeMap(_) => "Attributes Map".into(),
        AttributeType::Any => "Dynamic".into(),
    }
}

fn sorted(attrs: &HashMap<String, Attribute>) -> BTreeMap<&str, &Attribute> {
    attrs.iter().map(|(k, v)| (k.as_str(), v)).collect()
}

fn attribute_line(name: &str, attr: &Attribute) -> String {
    let mut kind = type_name(&attr.attr_type);
    if attr.sensitive {
        kind.push_str(", Sensitive");
    }
    format!("- `{name}` ({kind}) {}\n", attr.description.content.trim())
}

/// The Required / Optional / Read-Only sections of a block, and its nested blocks.
fn render_block(block: &Block, out: &mut String, heading: &str) {
    let attrs = sorted(&block.attributes);
    let groups = [
        ("Required", vec![AttributeConstraint::Required]),
        (
            "Optional",
            vec![
                AttributeConstraint::Optional,
                AttributeConstraint::OptionalComputed,
            ],
        ),
        ("Read-Only", vec![AttributeConstraint::Computed]),
    ];
    let blocks: BTreeMap<&str, &NestedBlock> =
        block.blocks.iter().map(|(k, v)| (k.as_str(), v)).collect();
    for (title, constraints) in groups {
        let lines: Vec<String> = attrs
            .iter()
            .filter(|(_, a)| constraints.contains(&a.constraint))
            .map(|(n, a)| attribute_line(n, a))
            .collect();
        // A single block must appear (Terraform requires it); the other kinds may be left out.
        let required_block = |b: &NestedBlock| matches!(b, NestedBlock::Single(_));
        let nested: Vec<String> = if title == "Optional" || title == "Required" {
            blocks
                .iter()
                .filter(|(_, b)| required_block(b) == (title == "Required"))
                .map(|(n, b)| {
                    format!(
                        "- `{n}` (Block) {} (see [below for nested schema](#nestedblock--{n}))\n",
                        nested_block(b).description.content.trim()
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        if lines.is_empty() && nested.is_empty() {
            continue;
        }
        out.push_str(&format!("{heading} {title}\n\n"));
        lines
            .iter()
            .chain(nested.iter())
            .for_each(|l| out.push_str(l));
        out.push('\n');
    }
    for (name, nested) in blocks {
        out.push_str(&format!(
            "<a id=\"nestedblock--{name}\"></a>\n{heading} Nested Schema for `{name}`\n\n"
        ));
        render_block(nested_block(nested), out, heading);
    }
}

fn nested_block(nested: &NestedBlock) -> &Block {
    match nested {
        NestedBlock::Single(b)
        | NestedBlock::List(b)
        | NestedBlock::Set(b)
        | NestedBlock::Map(b)
        | NestedBlock::Group(b)
        | NestedBlock::Optional(b) => b,
    }
}

/// Attributes (and nested blocks) with an empty description, as `path` strings.
pub fn missing_descriptions(block: &Block, prefix: &str) -> Vec<String> {
    let mut missing: Vec<String> = block
        .attributes
        .iter()
        .filter(|(_, a)| a.description.content.trim().is_empty())
        .map(|(n, _)| format!("{prefix}{n}"))
        .collect();
    for (name, nested) in &block.blocks {
        let b = nested_block(nested);
        if b.description.content.trim().is_empty() || b.description.content == "empty" {
            missing.push(format!("{prefix}{name}"));
        }
        missing.extend(missing_descriptions(b, &format!("{prefix}{name}.")));
    }
    missing.sort();
    missing
}

fn read(root: &Path, relative: &str) -> Option<String> {
    std::fs::read_to_string(root.join(relative)).ok()
}

fn code(lang: &str, body: &str) -> String {
    format!("```{lang}\n{}\n```\n\n", body.trim_end())
}

fn render_page(
    kind: &str,
    full_name: &str,
    schema: &Schema,
    example: Option<String>,
    notes: Option<String>,
    import: Option<String>,
) -> String {
    let description = schema.block.description.content.trim();
    let mut out = format!(
        "---\npage_title: \"{full_name} {kind} - {PROVIDER}\"\nsubcategory: \"\"\ndescription: |-\n  {}\n---\n\n# {full_name} ({kind})\n\n{description}\n\n",
        description.replace('\n', "\n  ")
    );
    if let Some(example) = example {
        out.push_str("## Example Usage\n\n");
        out.push_str(&code("terraform", &example));
    }
    if let Some(notes) = notes {
        out.push_str(&format!("{}\n\n", notes.trim_end()));
    }
    out.push_str("## Schema\n\n");
    render_block(&schema.block, &mut out, "###");
    if let Some(import) = import {
        out.push_str("## Import\n\nImport is supported using the following syntax:\n\n");
        out.push_str(&code("shell", &import));
    }
    format!("{}\n", out.trim_end())
}

/// Registry entries in name order, so pages come out in a stable order.
fn by_name<T: ?Sized>(entries: &[registry::TypeEntry<T>]) -> Vec<&registry::TypeEntry<T>> {
    let mut sorted: Vec<_> = entries.iter().collect();
    sorted.sort_by_key(|e| e.name);
    sorted
}

/// Every generated page, rendered from the current schemas and the files under `root`.
pub fn pages(root: &Path) -> Vec<Page> {
    let data = ProviderData::default();
    let mut diags = Diagnostics::default();
    let mut pages = Vec::new();
    for entry in by_name(&registry::RESOURCES) {
        let Some(schema) = (entry.build)(&data).schema(&mut diags) else {
            continue;
        };
        let (full, name) = (entry.name, registry::short_name(entry.name));
        pages.push(Page {
            path: format!("docs/resources/{name}.md"),
            content: render_page(
                "Resource",
                full,
                &schema,
                read(root, &format!("examples/resources/{full}/resource.tf")),
                read(root, &format!("templates/resources/{name}.md")),
                read(root, &format!("examples/resources/{full}/import.sh")),
            ),
        });
    }
    for entry in by_name(&registry::DATA_SOURCES) {
        let Some(schema) = (entry.build)(&data).schema(&mut diags) else {
            continue;
        };
        let (full, name) = (entry.name, registry::short_name(entry.name));
        pages.push(Page {
            path: format!("docs/data-sources/{name}.md"),
            content: render_page(
                "Data Source",
                full,
                &schema,
                read(
                    root,
                    &format!("examples/data-sources/{full}/data-source.tf"),
                ),
                read(root, &format!("templates/data-sources/{name}.md")),
                None,
            ),
        });
    }
    let mut index = read(root, "templates/index.md").unwrap_or_default();
    if let Some(example) = read(root, "examples/provider/provider.tf") {
        index = index.replace("{{example}}", code("terraform", &example).trim_end());
    }
    index.push_str("\n## Schema\n\n");
    render_block(&provider_schema().block, &mut index, "###");
    pages.push(Page {
        path: "docs/index.md".into(),
        content: format!("{}\n", index.trim_end()),
    });
    pages
}

/// Every schema's attributes lacking a description, as `<type>.<attribute>`.
pub fn undocumented() -> Vec<String> {
    let data = ProviderData::default();
    let mut diags = Diagnostics::default();
    let mut missing = missing_descriptions(&provider_schema().block, "provider.");
    for entry in &registry::RESOURCES {
        if let Some(s) = (entry.build)(&data).schema(&mut diags) {
            missing.extend(missing_descriptions(&s.block, &format!("{}.", entry.name)));
        }
    }
    for entry in &registry::DATA_SOURCES {
        if let Some(s) = (entry.build)(&data).schema(&mut diags) {
            missing.extend(missing_descriptions(
                &s.block,
                &format!("data.{}.", entry.name),
            ));
        }
    }
    missing
}

/// Writes every page below `root`.
pub fn write_all(root: &Path) -> std::io::Result<Vec<String>> {
    let mut written = Vec::new();
    for page in pages(root) {
        let path = root.join(&page.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &page.content)?;
        written.push(page.path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn every_attribute_has_a_description() {
        assert_eq!(undocumented(), Vec::<String>::new());
    }

    #[test]
    fn generated_docs_are_committed_and_current() {
        let stale: Vec<String> = pages(root())
            .into_iter()
            .filter(|p| read(root(), &p.path).as_deref() != Some(p.content.as_str()))
            .map(|p| p.path)
            .collect();
        assert!(
            stale.is_empty(),
            "stale or missing docs {stale:?}: run `cargo run -- docs` and commit the result"
        );
    }

    #[test]
    fn every_resource_has_an_example_and_import() {
        for entry in &registry::RESOURCES {
            for file in ["resource.tf", "import.sh"] {
                let path = format!("examples/resources/{}/{file}", entry.name);
                assert!(read(root(), &path).is_some(), "missing {path}");
            }
        }
        for entry in &registry::DATA_SOURCES {
            let path = format!("examples/data-sources/{}/data-source.tf", entry.name);
            assert!(read(root(), &path).is_some(), "missing {path}");
        }
    }

    #[test]
    fn rendering_lists_attributes_by_kind() {
        let page = pages(root())
            .into_iter()
            .find(|p| p.path == "docs/resources/shared_calling_policy.md")
            .unwrap();
        let required = page.content.find("### Required").unwrap();
        let read_only = page.content.find("### Read-Only").unwrap();
        let name = page.content.find("- `name` (String)").unwrap();
        let id = page.content.find("- `id` (String)").unwrap();
        assert!(
            required < name && name < read_only && read_only < id,
            "{}",
            page.content
        );
    }
}
