//! GeoJSON (RFC 7946) export: the graph's places that have coordinates, as a
//! FeatureCollection of Points, for QGIS, kepler.gl, geojson.io or Leaflet.
//!
//! # Contract
//!
//! - A node is a place if it has both a `lat` and a `lon` attribute (the default gazetteer's
//!   names, declared `lat:float`, `lon:float`), numbers or text that parses as a finite
//!   number, with latitude in [−90, 90] and longitude in [−180, 180]; other nodes are left
//!   out (how many is returned, see [`GeoSummary`]).
//! - Each Feature: `"id"` the entity id, a Point `[lon, lat]` (RFC 7946's order), and
//!   `properties`: `label`, `type`, `mentions`, `documents`, `windows`, `degree`,
//!   `weighted_degree`, `pagerank`, `component`, `community`, `betweenness`, `first` and
//!   `last` when dated, then the gazetteer attributes (typed, as in graph.json, under the same
//!   keys). Edges are not features (a line per edge would hide the map); graph.json has them.
//! - Features in node order, keys in a fixed order, pretty-printed with a final newline: the
//!   same graph always gives the same bytes. Text is JSON-escaped by serde_json.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::attribute::AttrValue;
use crate::export::json::attribute_key;
use crate::graph::{EntityGraph, Node};

/// What [`write_geojson`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GeoSummary {
    /// Places written as features.
    pub features: usize,
    /// Nodes left out: no `lat`/`lon`, or coordinates that are not numbers in range.
    pub without_coordinates: usize,
}

/// A coordinate attribute as a finite number, from a number or from text that parses.
fn coordinate(v: Option<&AttrValue>) -> Option<f64> {
    let x = match v? {
        AttrValue::String(s) => s.trim().parse::<f64>().ok()?,
        other => other.as_f64()?,
    };
    x.is_finite().then_some(x)
}

/// `(lon, lat)` of a node, if it has usable coordinates.
pub fn coordinates(n: &Node) -> Option<(f64, f64)> {
    let lat = coordinate(n.attributes.get("lat"))?;
    let lon = coordinate(n.attributes.get("lon"))?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lon, lat))
}

fn feature(n: &Node, lon: f64, lat: f64) -> Value {
    let mut p = Map::new();
    p.insert("label".into(), n.label.clone().into());
    p.insert("type".into(), n.kind.clone().into());
    p.insert("mentions".into(), n.mentions.into());
    p.insert("documents".into(), n.documents.into());
    p.insert("windows".into(), n.windows.into());
    p.insert("degree".into(), n.degree.into());
    p.insert("weighted_degree".into(), json!(n.weighted_degree));
    p.insert("pagerank".into(), json!(n.pagerank));
    p.insert("component".into(), n.component.into());
    p.insert("community".into(), n.community.into());
    p.insert("betweenness".into(), json!(n.betweenness));
    if let Some(d) = n.time.first {
        p.insert("first".into(), d.to_string().into());
    }
    if let Some(d) = n.time.last {
        p.insert("last".into(), d.to_string().into());
    }
    for (k, v) in &n.attributes {
        p.insert(attribute_key(k), serde_json::to_value(v).expect("a scalar"));
    }
    json!({
        "type": "Feature",
        "id": n.id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": p,
    })
}

/// Writes the places of `graph` as a GeoJSON FeatureCollection to `out` (see the [module
/// docs](self)).
pub fn write_geojson<W: Write>(graph: &EntityGraph, mut out: W) -> io::Result<GeoSummary> {
    let mut features = Vec::new();
    let mut without = 0;
    for n in graph.graph.node_weights() {
        match coordinates(n) {
            Some((lon, lat)) => features.push(feature(n, lon, lat)),
            None => without += 1,
        }
    }
    let summary = GeoSummary {
        features: features.len(),
        without_coordinates: without,
    };
    let doc = json!({"type": "FeatureCollection", "features": features});
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")?;
    Ok(summary)
}
