//! The point → region index behind `Boundaries::country_at`: a regular grid of
//! [`CELL_DEG`]-degree cells over the data's bounding box, built once at load.
//!
//! Each cell is, exactly (not approximately):
//! - `Outside`: no boundary passes through it and its centre is in no region, so no point of it is;
//! - `Inside(r)`: no boundary of a region that could answer first passes through it, and region
//!   `r` contains it whole;
//! - `Mixed`: a boundary passes through it; the lookup then runs the even-odd ray test on the
//!   listed candidate regions, in precedence order, using only the edges of those regions that
//!   cross the cell's row of the grid (a few dozen, not the thousand-odd of a whole country).
//!
//! Which cells a boundary passes through is found by clipping every edge to every grid row it
//! spans, with a margin of [`EPS`], so a cell is never wrongly taken for edge-free; a run of
//! edge-free cells along a row is connected and crossed by no edge, so one ray test at the first
//! cell's centre classifies the whole run.
//!
//! Not here: names, codes, distances, or any geometry library: the test is plain arithmetic so
//! that a lookup costs tens of nanoseconds. Assumes no region crosses the antimeridian.

use crate::load::{Bbox, Region};

/// Grid cell size in degrees (about 11 km). Over the embedded data (43° × 36°) that is 152,000
/// cells, of which about one in ten holds a boundary.
pub(crate) const CELL_DEG: f64 = 0.1;

/// Margin in degrees (about 0.1 mm) that makes an edge touching a cell's side count for both
/// cells, and absorbs rounding between the build's cell bounds and a query's `floor`.
const EPS: f64 = 1e-9;

#[derive(Debug, Clone, Copy)]
enum Cell {
    Outside,
    Inside(u32),
    /// `candidates[start..start + len]`.
    Mixed {
        start: u32,
        len: u16,
    },
}

/// A region to try in a mixed cell; `whole` when it holds the entire cell (no test needed).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    region: u32,
    whole: bool,
}

/// A non-horizontal edge ready for the even-odd test: at latitude `y` it lies at longitude
/// `x0 + (y - y0) * slope`; it spans latitudes between `y0` and `y1` (unordered).
#[derive(Debug, Clone, Copy)]
struct Edge {
    x0: f64,
    y0: f64,
    y1: f64,
    slope: f64,
}

/// The edges of one region by grid row: row `first_row + i` has `edges[offsets[i]..offsets[i + 1]]`.
#[derive(Debug, Clone, Default)]
struct Bands {
    first_row: usize,
    offsets: Vec<u32>,
    edges: Vec<Edge>,
}

/// See the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    bbox: Option<Bbox>,
    inv_cell: f64,
    cols: usize,
    rows: usize,
    cells: Vec<Cell>,
    candidates: Vec<Candidate>,
    bands: Vec<Bands>,
    region_boxes: Vec<Bbox>,
}

impl Grid {
    /// An index that finds nothing.
    pub(crate) fn empty() -> Grid {
        Grid {
            bbox: None,
            inv_cell: 1.0 / CELL_DEG,
            cols: 0,
            rows: 0,
            cells: Vec::new(),
            candidates: Vec::new(),
            bands: Vec::new(),
            region_boxes: Vec::new(),
        }
    }

    /// Index `regions`; where they overlap, the earlier one answers.
    pub(crate) fn build(regions: &[Region]) -> Grid {
        let Some(bbox) = regions.iter().map(|r| r.bbox).reduce(Bbox::union) else {
            return Grid::empty();
        };
        let span = |lo: f64, hi: f64| (((hi - lo) / CELL_DEG).ceil() as usize).max(1);
        let mut grid = Grid {
            bbox: Some(bbox),
            inv_cell: 1.0 / CELL_DEG,
            cols: span(bbox.min_lon, bbox.max_lon),
            rows: span(bbox.min_lat, bbox.max_lat),
            cells: Vec::new(),
            candidates: Vec::new(),
            bands: Vec::new(),
            region_boxes: regions.iter().map(|r| r.bbox).collect(),
        };
        grid.bands = regions.iter().map(|r| grid.bands_of(r)).collect();
        let marks = grid.edge_cells(regions);
        grid.classify(&marks);
        grid
    }

    /// The data's bounding box; `None` when empty.
    pub(crate) fn bbox(&self) -> Option<Bbox> {
        self.bbox
    }

    /// The index of the region containing the point, if any. `None` for NaN.
    pub(crate) fn region_at(&self, lat: f64, lon: f64) -> Option<usize> {
        let bbox = self.bbox?;
        if !bbox.contains(lat, lon) {
            return None;
        }
        let row = self.row_of(lat);
        let col = self.col_of(lon);
        let found = match *self.cells.get(row * self.cols + col)? {
            Cell::Outside => return None,
            Cell::Inside(region) => region,
            Cell::Mixed { start, len } => {
                let start = start as usize;
                let list = self.candidates.get(start..start + usize::from(len))?;
                list.iter()
                    .find(|c| c.whole || self.contains(c.region as usize, row, lat, lon))?
                    .region
            }
        };
        Some(found as usize)
    }

    /// Counts of (outside, inside, mixed) cells, for the load report in tests.
    pub(crate) fn cell_counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for cell in &self.cells {
            match cell {
                Cell::Outside => counts.0 += 1,
                Cell::Inside(_) => counts.1 += 1,
                Cell::Mixed { .. } => counts.2 += 1,
            }
        }
        counts
    }

    fn min_lon(&self) -> f64 {
        self.bbox.map_or(0.0, |b| b.min_lon)
    }

    fn min_lat(&self) -> f64 {
        self.bbox.map_or(0.0, |b| b.min_lat)
    }

    /// Grid row of a latitude, clamped to the grid.
    fn row_of(&self, lat: f64) -> usize {
        clamped_floor((lat - self.min_lat()) * self.inv_cell, self.rows)
    }

    /// Grid column of a longitude, clamped to the grid.
    fn col_of(&self, lon: f64) -> usize {
        clamped_floor((lon - self.min_lon()) * self.inv_cell, self.cols)
    }

    /// Latitude bounds of a row, widened by [`EPS`].
    fn row_lats(&self, row: usize) -> (f64, f64) {
        let lo = self.min_lat() + row as f64 * CELL_DEG;
        (lo - EPS, lo + CELL_DEG + EPS)
    }

    /// The cell's centre as (lat, lon).
    fn centre(&self, row: usize, col: usize) -> (f64, f64) {
        (
            self.min_lat() + (row as f64 + 0.5) * CELL_DEG,
            self.min_lon() + (col as f64 + 0.5) * CELL_DEG,
        )
    }

    /// Even-odd ray test (ray towards east) of one region, with the edges filed under `row`,
    /// which must be the row of `lat`.
    fn contains(&self, region: usize, row: usize, lat: f64, lon: f64) -> bool {
        let Some(bands) = self.bands.get(region) else {
            return false;
        };
        let Some(i) = row.checked_sub(bands.first_row) else {
            return false;
        };
        let (Some(&start), Some(&end)) = (bands.offsets.get(i), bands.offsets.get(i + 1)) else {
            return false;
        };
        let Some(edges) = bands.edges.get(start as usize..end as usize) else {
            return false;
        };
        let mut inside = false;
        for e in edges {
            if (e.y0 > lat) != (e.y1 > lat) && lon < e.x0 + (lat - e.y0) * e.slope {
                inside = !inside;
            }
        }
        inside
    }

    /// File the region's non-horizontal edges under every row they span.
    fn bands_of(&self, region: &Region) -> Bands {
        let first_row = self.row_of(region.bbox.min_lat - EPS);
        let last_row = self.row_of(region.bbox.max_lat + EPS);
        let mut spans = Vec::new();
        for ring in &region.rings {
            for pair in ring.windows(2) {
                let &[[ax, ay], [bx, by]] = pair else {
                    continue;
                };
                if ay == by {
                    continue; // never crossed by an eastward ray
                }
                let lo = self.row_of(ay.min(by) - EPS) - first_row;
                let hi = self.row_of(ay.max(by) + EPS) - first_row;
                let slope = (bx - ax) / (by - ay);
                spans.push((
                    lo,
                    hi,
                    Edge {
                        x0: ax,
                        y0: ay,
                        y1: by,
                        slope,
                    },
                ));
            }
        }
        let rows = last_row - first_row + 1;
        let mut offsets = vec![0u32; rows + 1];
        for &(lo, hi, _) in &spans {
            for count in offsets.iter_mut().skip(lo + 1).take(hi - lo + 1) {
                *count += 1;
            }
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut next: Vec<u32> = offsets.clone();
        let blank = Edge {
            x0: 0.0,
            y0: 0.0,
            y1: 0.0,
            slope: 0.0,
        };
        let mut edges = vec![blank; offsets.last().map_or(0, |&n| n as usize)];
        for &(lo, hi, edge) in &spans {
            for slot in next.iter_mut().skip(lo).take(hi - lo + 1) {
                if let Some(place) = edges.get_mut(*slot as usize) {
                    *place = edge;
                }
                *slot += 1;
            }
        }
        Bands {
            first_row,
            offsets,
            edges,
        }
    }

    /// Every (cell, region) pair such that an edge of the region passes through the cell (or
    /// within [`EPS`] of it), sorted and without duplicates.
    fn edge_cells(&self, regions: &[Region]) -> Vec<(u32, u32)> {
        let mut marks = Vec::new();
        for (index, region) in regions.iter().enumerate() {
            let index = index as u32;
            for pair in region.rings.iter().flat_map(|ring| ring.windows(2)) {
                let &[[ax, ay], [bx, by]] = pair else {
                    continue;
                };
                for row in self.row_of(ay.min(by) - EPS)..=self.row_of(ay.max(by) + EPS) {
                    let (x_lo, x_hi) = if ay == by {
                        (ax.min(bx), ax.max(bx))
                    } else {
                        // The part of the edge within the row's latitudes.
                        let (lat_lo, lat_hi) = self.row_lats(row);
                        let t0 = ((lat_lo - ay) / (by - ay)).clamp(0.0, 1.0);
                        let t1 = ((lat_hi - ay) / (by - ay)).clamp(0.0, 1.0);
                        let (x0, x1) = (ax + t0 * (bx - ax), ax + t1 * (bx - ax));
                        (x0.min(x1), x0.max(x1))
                    };
                    let row_start = (row * self.cols) as u32;
                    for col in self.col_of(x_lo - EPS)..=self.col_of(x_hi + EPS) {
                        marks.push((row_start + col as u32, index));
                    }
                }
            }
        }
        marks.sort_unstable();
        marks.dedup();
        marks
    }

    /// Fill `cells` and `candidates` from the edge marks.
    fn classify(&mut self, marks: &[(u32, u32)]) {
        let mut cells = Vec::with_capacity(self.rows * self.cols);
        let mut candidates = Vec::new();
        let mut marks = marks.iter().peekable();
        let mut marked = Vec::new();
        for row in 0..self.rows {
            // Status shared by the current run of edge-free cells in this row.
            let mut run: Option<Cell> = None;
            for col in 0..self.cols {
                let cell = (row * self.cols + col) as u32;
                marked.clear();
                while let Some(&(_, region)) = marks.next_if(|&&(c, _)| c == cell) {
                    marked.push(region);
                }
                if marked.is_empty() {
                    let status = *run.get_or_insert_with(|| self.edge_free_status(row, col));
                    cells.push(status);
                } else {
                    run = None;
                    cells.push(self.mixed_status(row, col, &marked, &mut candidates));
                }
            }
        }
        self.cells = cells;
        self.candidates = candidates;
    }

    /// Status of a cell that no edge passes through: that of its centre.
    fn edge_free_status(&self, row: usize, col: usize) -> Cell {
        let (lat, lon) = self.centre(row, col);
        (0..self.region_boxes.len())
            .find(|&r| self.holds_centre(r, row, lat, lon))
            .map_or(Cell::Outside, |r| Cell::Inside(r as u32))
    }

    fn holds_centre(&self, region: usize, row: usize, lat: f64, lon: f64) -> bool {
        self.region_boxes
            .get(region)
            .is_some_and(|b| b.contains(lat, lon))
            && self.contains(region, row, lat, lon)
    }

    /// Status of a cell that edges of the `marked` regions pass through. Other regions have no
    /// edge in it, so each holds it whole or not at all: their centre test decides.
    fn mixed_status(
        &self,
        row: usize,
        col: usize,
        marked: &[u32],
        candidates: &mut Vec<Candidate>,
    ) -> Cell {
        let (lat, lon) = self.centre(row, col);
        let mut list = Vec::new();
        for region in 0..self.region_boxes.len() as u32 {
            let whole = if marked.contains(&region) {
                false
            } else if self.holds_centre(region as usize, row, lat, lon) {
                true
            } else {
                continue;
            };
            list.push(Candidate { region, whole });
            if whole {
                break; // later regions are never reached
            }
        }
        match list.as_slice() {
            [] => Cell::Outside,
            [first, ..] if first.whole => Cell::Inside(first.region),
            _ => {
                let start = candidates.len() as u32;
                let len = u16::try_from(list.len()).unwrap_or(u16::MAX);
                candidates.extend(list.into_iter().take(usize::from(len)));
                Cell::Mixed { start, len }
            }
        }
    }
}

/// `floor(v)` as an index into `0..n`, clamping below 0 (and NaN) to 0 and above to `n - 1`.
fn clamped_floor(v: f64, n: usize) -> usize {
    if v > 0.0 {
        (v as usize).min(n.saturating_sub(1))
    } else {
        0
    }
}
