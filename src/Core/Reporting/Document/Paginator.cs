namespace Harness.Core.Reporting.Document;

/// <summary>A fragment at its place in the content area of a page (origin at the top-left margin corner).</summary>
public sealed record PlacedFragment(Fragment Fragment, float X, float Y);

/// <summary>The laid-out document: fragments per page, and the 1-based page each anchor landed on.</summary>
public sealed record Pagination(IReadOnlyList<IReadOnlyList<PlacedFragment>> Pages, IReadOnlyDictionary<string, int> AnchorPages);

/// <summary>
/// Flows blocks down pages. Deterministic: the same blocks and settings give the same pages. Headings (and
/// chains of them) are moved to the next page when the block after them would not start on this one.
/// </summary>
public static class Paginator
{
    public static Pagination Paginate(IReadOnlyList<Block> blocks, LayoutContext ctx)
    {
        var width = ctx.Settings.ContentWidth;
        var height = ctx.Settings.ContentHeight;
        var pages = new List<IReadOnlyList<PlacedFragment>>();
        var anchors = new Dictionary<string, int>();
        var current = new List<PlacedFragment>();
        float y = 0;

        void NewPage()
        {
            pages.Add(current);
            current = new List<PlacedFragment>();
            y = 0;
        }

        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block is PageBreakBlock)
            {
                if (current.Count > 0) NewPage();
                continue;
            }
            Block? part = block;
            var first = true;
            var guard = 0;
            while (part is not null)
            {
                if (++guard > 100_000) throw new InvalidOperationException("pagination does not progress");
                var atTop = current.Count == 0;
                var before = atTop || !first ? 0 : part.SpaceBefore;
                var available = height - y - before;
                if (first && part.KeepWithNext && !atTop && !FitsWithFollowers(blocks, i, available, ctx, width))
                {
                    NewPage();
                    continue;
                }
                var result = part.Layout(ctx, width, available, atTop);
                if (result.Placed is null)
                {
                    if (atTop) throw new InvalidOperationException($"{part.GetType().Name} placed nothing on an empty page");
                    NewPage();
                    continue;
                }
                y += before;
                current.Add(new PlacedFragment(result.Placed, 0, y));
                if (result.Placed.Anchor is { } anchor) anchors[anchor] = pages.Count + 1;
                y += result.Placed.Height;
                part = result.Rest;
                first = false;
                if (part is not null) NewPage();
            }
            y = Math.Min(height, y + block.SpaceAfter);
        }
        if (current.Count > 0 || pages.Count == 0) pages.Add(current);
        return new Pagination(pages, anchors);
    }

    /// <summary>Whether the keep-with-next chain starting at <paramref name="i"/> and the first piece of the block after it fit.</summary>
    static bool FitsWithFollowers(IReadOnlyList<Block> blocks, int i, float available, LayoutContext ctx, float width)
    {
        var j = i;
        while (j < blocks.Count && blocks[j].KeepWithNext)
        {
            var before = j == i ? 0 : blocks[j].SpaceBefore;
            var r = blocks[j].Layout(ctx, width, available - before, false);
            if (r.Placed is null || r.Rest is not null) return false;
            available -= before + r.Placed.Height + blocks[j].SpaceAfter;
            j++;
        }
        if (j >= blocks.Count || blocks[j] is PageBreakBlock) return true;
        return blocks[j].Layout(ctx, width, available - blocks[j].SpaceBefore, false).Placed is not null;
    }
}
