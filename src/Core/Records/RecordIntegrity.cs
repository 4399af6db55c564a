using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.Core.Records;

/// <summary>
/// A record's integrity hash: SHA-256 over everything it measured (its JSON without the clock readings and the hash
/// itself). A value typed into record.json by hand no longer matches, and a grading harness must not grade numbers
/// that were typed in rather than measured.
/// </summary>
public static class RecordIntegrity
{
    public const string Field = "integrity";

    public static string Of(string recordJson)
    {
        var node = JsonNode.Parse(recordJson)!.AsObject();
        node.Remove("timing");
        node.Remove(Field);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(node.ToJsonString()))).ToLowerInvariant();
    }

    /// <summary>
    /// Reads a sealed JSON file as <typeparamref name="T"/>: unreadable or invalid JSON throws
    /// <see cref="BrokenRecordException"/> naming <paramref name="kind"/> ("run record") and <paramref name="fix"/>.
    /// Returns the text too, for <see cref="Verify"/> once the caller has checked format and completeness.
    /// </summary>
    public static (T Value, string Json) ReadJson<T>(string file, string kind, string fix)
    {
        string json;
        try { json = File.ReadAllText(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new BrokenRecordException(file, $"cannot be read ({e.Message})", e); }
        try { return (RecordJson.Deserialize<T>(json), json); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new BrokenRecordException(file, $"is not a valid {kind} ({e.Message.Split(" Path:")[0]}); {fix}", e);
        }
    }

    /// <summary>Throws when the stored hash is missing or no longer matches the file's content (typed in by hand).</summary>
    public static void Verify(string file, string json, string? integrity, string consequence)
    {
        if (integrity is null || integrity != Of(json))
            throw new BrokenRecordException(file, $"was edited by hand (its integrity hash no longer matches what it holds): {consequence}");
    }

    /// <summary>The record's JSON with its integrity hash filled in.</summary>
    public static string Seal(RunRecord record)
    {
        var json = RecordJson.Serialize(record with { Integrity = null });
        return RecordJson.Serialize(record with { Integrity = Of(json) });
    }
}
