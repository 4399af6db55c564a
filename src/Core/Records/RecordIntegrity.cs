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

    /// <summary>The record's JSON with its integrity hash filled in.</summary>
    public static string Seal(RunRecord record)
    {
        var json = RecordJson.Serialize(record with { Integrity = null });
        return RecordJson.Serialize(record with { Integrity = Of(json) });
    }
}
