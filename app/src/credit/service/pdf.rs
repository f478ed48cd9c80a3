//! Renders a report as an A4 PDF: laid out into lines first (so every page knows the page count), then
//! drawn with krilla, which embeds a subset of the CJK font with its Unicode map, so the text extracts
//! (pdftotext) and searches as written. The font is a Debian package's (`fonts-wqy-microhei`, or Noto
//! Sans CJK), or the file named by `REPORT_FONT`.
use crate::error::AppError;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use std::sync::OnceLock;

const FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
];

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 56.0;
const TOP: f32 = 64.0;
const BOTTOM: f32 = 780.0;
const BODY: f32 = 10.5;

struct LoadedFont {
    font: Font,
    face: ttf_parser::Face<'static>,
}

static FONT: OnceLock<Result<LoadedFont, String>> = OnceLock::new();

fn load_font() -> Result<LoadedFont, String> {
    let path = std::env::var("REPORT_FONT")
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| {
            FONT_CANDIDATES
                .iter()
                .find(|p| std::path::Path::new(p).exists())
                .map(|p| p.to_string())
        })
        .ok_or("no CJK font found (apt-get install fonts-wqy-microhei, or set REPORT_FONT)")?;
    let data: &'static [u8] = Box::leak(
        std::fs::read(&path)
            .map_err(|e| format!("{path}: {e}"))?
            .into_boxed_slice(),
    );
    let face = ttf_parser::Face::parse(data, 0).map_err(|e| format!("{path}: {e}"))?;
    let font = Font::new(data.into(), 0).ok_or_else(|| format!("{path}: unreadable font"))?;
    Ok(LoadedFont { font, face })
}

fn font() -> Result<&'static LoadedFont, AppError> {
    FONT.get_or_init(load_font)
        .as_ref()
        .map_err(|e| AppError::internal("report font", e))
}

/// Loads the font at start-up, so the first report is not slower and a missing font shows early.
pub fn preload() -> Result<(), AppError> {
    font().map(|_| ())
}

impl LoadedFont {
    fn width(&self, text: &str, size: f32) -> f32 {
        let upem = self.face.units_per_em() as f32;
        text.chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .map(|a| a as f32)
                    .unwrap_or(upem)
            })
            .sum::<f32>()
            * size
            / upem
    }

    /// Breaks text into lines no wider than `max` (CJK breaks anywhere; Latin runs are kept whole
    /// where they fit).
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = vec![];
        for para in text.split('\n') {
            let mut line = String::new();
            let mut width = 0.0;
            for c in para.chars() {
                let w = self.width(c.encode_utf8(&mut [0; 4]), size);
                if width + w > max && !line.is_empty() {
                    // Move a trailing Latin word to the next line when it is not the whole line.
                    let cut = line
                        .rfind(|ch: char| !ch.is_ascii_alphanumeric())
                        .map(|i| i + line[i..].chars().next().map_or(1, char::len_utf8));
                    let carry = match cut {
                        Some(i) if c.is_ascii_alphanumeric() && i < line.len() && i > 0 => {
                            line.split_off(i)
                        }
                        _ => String::new(),
                    };
                    lines.push(std::mem::take(&mut line));
                    width = self.width(&carry, size);
                    line = carry;
                }
                line.push(c);
                width += w;
            }
            lines.push(line);
        }
        lines
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Title,
    Heading,
    Body,
    Label,
    Note,
    Mark,
}

impl Style {
    fn size(&self) -> f32 {
        match self {
            Style::Title => 22.0,
            Style::Heading => 13.5,
            Style::Body | Style::Label | Style::Mark => BODY,
            Style::Note => 8.5,
        }
    }

    fn color(&self) -> rgb::Color {
        match self {
            Style::Title | Style::Heading | Style::Mark => rgb::Color::new(0x9f, 0x1d, 0x20),
            Style::Label | Style::Note => rgb::Color::new(0x55, 0x55, 0x55),
            Style::Body => rgb::Color::new(0x1a, 0x1a, 0x1a),
        }
    }
}

/// What a report is made of, top to bottom.
#[derive(Debug, Clone)]
pub enum Block {
    /// Centered text.
    Centered(Style, String),
    /// Wrapped text, indented by `indent` points.
    Text(Style, f32, String),
    /// A label and a value on one line (the value wraps under itself).
    Pair(String, String),
    /// A thin horizontal rule.
    Rule,
    Space(f32),
    /// Keeps the next `n` points together on a page.
    KeepTogether(f32),
}

pub struct Doc {
    pub title: String,
    pub blocks: Vec<Block>,
    /// Encoded in the QR code on the first page (top right).
    pub qr_url: String,
    /// Printed at the foot of every page with the page number.
    pub footer: String,
}

struct Line {
    x: f32,
    y: f32,
    style: Style,
    text: String,
}

#[derive(Default)]
struct PageOps {
    lines: Vec<Line>,
    rules: Vec<f32>,
}

struct Layout<'a> {
    f: &'a LoadedFont,
    pages: Vec<PageOps>,
    y: f32,
}

impl Layout<'_> {
    fn ensure(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.pages.push(PageOps::default());
            self.y = TOP;
        }
    }

    fn line(&mut self, x: f32, style: Style, text: String) {
        let h = style.size() * 1.6;
        self.ensure(h);
        self.y += h;
        let y = self.y;
        if let Some(p) = self.pages.last_mut() {
            p.lines.push(Line { x, y, style, text });
        }
    }

    fn block(&mut self, b: &Block) {
        let width = PAGE_W - 2.0 * MARGIN_X;
        match b {
            Block::Centered(style, text) => {
                for l in self.f.wrap(text, style.size(), width) {
                    let x = (PAGE_W - self.f.width(&l, style.size())) / 2.0;
                    self.line(x, *style, l);
                }
            }
            Block::Text(style, indent, text) => {
                for l in self.f.wrap(text, style.size(), width - indent) {
                    self.line(MARGIN_X + indent, *style, l);
                }
            }
            Block::Pair(label, value) => {
                let label_w = 110.0;
                let lines = self.f.wrap(value, BODY, width - label_w);
                self.ensure(BODY * 1.6);
                let mut first = true;
                for l in lines {
                    if first {
                        self.line(MARGIN_X, Style::Label, format!("{label}："));
                        self.y -= BODY * 1.6;
                        first = false;
                    }
                    self.line(MARGIN_X + label_w, Style::Body, l);
                }
            }
            Block::Rule => {
                self.ensure(8.0);
                self.y += 6.0;
                let y = self.y;
                if let Some(p) = self.pages.last_mut() {
                    p.rules.push(y);
                }
            }
            Block::Space(h) => {
                if self.y + h <= BOTTOM {
                    self.y += h;
                }
            }
            Block::KeepTogether(h) => self.ensure(*h),
        }
    }
}

fn fill(color: rgb::Color) -> Fill {
    Fill {
        paint: color.into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// Lays out and draws the document.
pub fn render(doc: &Doc) -> Result<Vec<u8>, AppError> {
    let f = font()?;
    let mut layout = Layout {
        f,
        pages: vec![PageOps::default()],
        y: TOP,
    };
    for b in &doc.blocks {
        layout.block(b);
    }
    let qr = qrcode::QrCode::new(doc.qr_url.as_bytes())
        .map_err(|e| AppError::internal("report qr", e))?;
    let total = layout.pages.len();
    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(doc.title.clone())
            .producer(crate::SITE_NAME.to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| AppError::internal("pdf", "page size"))?;
    for (i, ops) in layout.pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for l in &ops.lines {
            surface.set_fill(Some(fill(l.style.color())));
            surface.draw_text(
                Point::from_xy(l.x, l.y),
                f.font.clone(),
                l.style.size(),
                &l.text,
                false,
                TextDirection::Auto,
            );
        }
        let mut rules = PathBuilder::new();
        for y in &ops.rules {
            if let Some(r) = Rect::from_xywh(MARGIN_X, *y, PAGE_W - 2.0 * MARGIN_X, 0.6) {
                rules.push_rect(r);
            }
        }
        if let Some(path) = rules.finish() {
            surface.set_fill(Some(fill(rgb::Color::new(0xbb, 0xbb, 0xbb))));
            surface.draw_path(&path);
        }
        if i == 0 {
            draw_qr(&mut surface, &qr);
        }
        let foot = format!("{}    第 {} 页 / 共 {} 页", doc.footer, i + 1, total);
        let x = (PAGE_W - f.width(&foot, Style::Note.size())) / 2.0;
        surface.set_fill(Some(fill(Style::Note.color())));
        surface.draw_text(
            Point::from_xy(x, PAGE_H - 36.0),
            f.font.clone(),
            Style::Note.size(),
            &foot,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| AppError::internal("pdf", format!("{e:?}")))
}

/// The QR code at the top right of the first page, one square per dark module.
fn draw_qr(surface: &mut krilla::surface::Surface<'_>, qr: &qrcode::QrCode) {
    let size = 72.0;
    let n = qr.width();
    let module = size / (n as f32 + 2.0);
    let (x0, y0) = (PAGE_W - MARGIN_X - size, 24.0);
    let colors = qr.to_colors();
    let mut path = PathBuilder::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (cx, cy) = ((i % n) as f32 + 1.0, (i / n) as f32 + 1.0);
            if let Some(r) = Rect::from_xywh(x0 + cx * module, y0 + cy * module, module, module) {
                path.push_rect(r);
            }
        }
    }
    if let Some(p) = path.finish() {
        surface.set_fill(Some(fill(rgb::Color::new(0, 0, 0))));
        surface.draw_path(&p);
    }
}
