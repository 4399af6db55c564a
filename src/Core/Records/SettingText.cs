using System.Text.Json;

namespace Harness.Core.Records;

/// <summary>
/// A setting's value as a person reads it in a table: strings bare, numbers and booleans as JSON writes them,
/// objects as <c>{name: value, …}</c>, and a list of objects one element per line, so that a list such as an
/// ablation's steps wraps in a table cell instead of filling a page with indented JSON.
/// </summary>
public static class SettingText
{
    public static string Of(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Array when e.EnumerateArray().Any(x => x.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            => string.Join("\n", e.EnumerateArray().Select(Inline)),
        _ => Inline(e),
    };

    /// <summary>A stored value as <see cref="Of(JsonElement)"/> would have written it (records written before kept indented JSON).</summary>
    public static string Tidy(string stored)
    {
        var t = stored.TrimStart();
        if (!(t.StartsWith('[') || t.StartsWith('{'))) return stored;
        try { using var doc = JsonDocument.Parse(stored); return Of(doc.RootElement); }
        catch (JsonException) { return stored; }
    }

    static string Inline(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(", ", e.EnumerateObject().Select(p => $"{p.Name}: {Inline(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + string.Join(", ", e.EnumerateArray().Select(Inline)) + "]",
        JsonValueKind.String => "\"" + e.GetString() + "\"",
        _ => e.GetRawText(),
    };
}
