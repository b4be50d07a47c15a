"""The desktop app: pick sections, adjust figures, preview the pages and export."""
