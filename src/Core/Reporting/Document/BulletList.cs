namespace Harness.Core.Reporting.Document;

/// <summary>A bullet (or numbered) list: one indented paragraph per item with its marker in the indent.</summary>
public static class BulletList
{
    public static IEnumerable<ParagraphBlock> Items(IEnumerable<string> items, float fontSize, bool numbered = false, float spaceAfterLast = 6, TextAlign? align = null)
    {
        var list = items.ToList();
        for (var i = 0; i < list.Count; i++)
            yield return new ParagraphBlock(list[i], null, align)
            {
                Indent = fontSize * 1.6f,
                Marker = numbered ? $"{i + 1}." : "•",
                SpaceAfter = i == list.Count - 1 ? spaceAfterLast : fontSize * 0.25f,
            };
    }
}
