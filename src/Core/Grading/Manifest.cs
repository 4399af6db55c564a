using System.Text.Json;
using Harness.Core.Experiments;

namespace Harness.Core.Grading;

/// <summary>
/// A submission's submission.json: who submitted (a student or a team id), the file of the trained model of each
/// task, and optional notes.
/// <code>
/// { "student": "s1234567", "tasks": { "1.2": "baseline.pt" }, "notes": "trained on Colab, 10 epochs" }
/// </code>
/// </summary>
public sealed record Manifest(string Student, IReadOnlyDictionary<string, string> Tasks, string? Notes);

/// <summary>Reads a submission.json strictly: unknown keys, wrong types and paths outside the folder are problems that say what to write.</summary>
public static class ManifestReader
{
    public const string FileName = "submission.json";
    private const int MaxBytes = 64 * 1024;
    private static readonly string[] Keys = ["student", "team", "tasks", "notes", "assignment"];

    /// <summary>An example manifest for the problems' messages.</summary>
    public static string Example(IAssignment assignment, IReadOnlyList<string> taskIds) =>
        $"{{\"student\": \"your id\", \"tasks\": {{{string.Join(", ", taskIds.Select(t => $"\"{t}\": \"model_{t.Replace('.', '_')}.pt\""))}}}}}";

    /// <summary>The manifest (null when there is none that can be used) and every problem found, in words for the student.</summary>
    public static (Manifest? Manifest, IReadOnlyList<string> Problems) Read(string folder, IAssignment assignment, IReadOnlyList<string> gradedTasks)
    {
        var path = Path.Combine(folder, FileName);
        var example = Example(assignment, gradedTasks);
        if (!File.Exists(path)) return (null, [$"the submission has no {FileName}: put one beside the model files, e.g. {example}"]);
        var info = new FileInfo(path);
        if (info.Length > MaxBytes) return (null, [$"{FileName} is {info.Length:N0} bytes; a manifest is a few lines, e.g. {example}"]);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 8 }); }
        catch (JsonException e)
        {
            return (null, [$"{FileName} is not valid JSON (line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}); write it like {example}"]);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, [$"{FileName} must hold one JSON object, like {example}"]);
            var problems = new List<string>();
            foreach (var p in root.EnumerateObject())
                if (!Keys.Contains(p.Name))
                    problems.Add($"{FileName} has the unknown key \"{p.Name}\" (known: {string.Join(", ", Keys)}); it was ignored");
            string? Text(string key)
            {
                if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
                if (v.ValueKind == JsonValueKind.String && v.GetString()!.Trim() is { Length: > 0 } s) return s;
                problems.Add($"\"{key}\" in {FileName} must be a non-empty text");
                return null;
            }
            var student = Text("student");
            var team = Text("team");
            var notes = Text("notes");
            if (Text("assignment") is { } a && !a.Equals(assignment.Id, StringComparison.OrdinalIgnoreCase))
                problems.Add($"{FileName} says it is for assignment \"{a}\", but it is graded as {assignment.Id}");
            if (student is not null && team is not null) problems.Add($"{FileName} names both a student and a team; the student id \"{student}\" is used");
            if (student is null && team is null) problems.Add($"{FileName} names no \"student\" (or \"team\"); the folder's name is used");

            var tasks = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!root.TryGetProperty("tasks", out var t) || t.ValueKind != JsonValueKind.Object)
                problems.Add($"{FileName} has no \"tasks\" object naming each task's model file, e.g. {example}");
            else
                foreach (var p in t.EnumerateObject())
                {
                    var known = assignment.Tasks.FirstOrDefault(x => x.Id.Equals(p.Name, StringComparison.OrdinalIgnoreCase));
                    if (known is null)
                        problems.Add($"\"{p.Name}\" in {FileName} is not a task of {assignment.Id} (its graded tasks: {string.Join(", ", gradedTasks)}); it was not graded");
                    else if (!gradedTasks.Contains(known.Id))
                        problems.Add($"task {known.Id} of {assignment.Id} is not graded from a model file{(gradedTasks.Count > 0 ? $" here (graded: {string.Join(", ", gradedTasks)})" : "")}; it was not graded");
                    else if (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() is not { Length: > 0 } file)
                        problems.Add($"task {known.Id} in {FileName} must name a file (a text such as \"model.pt\")");
                    else if (Inside(folder, file) is { } why)
                        problems.Add($"the file \"{file}\" named for task {known.Id} {why}; it was not graded");
                    else if (!tasks.TryAdd(known.Id, file))
                        problems.Add($"task {known.Id} is named twice in {FileName}; the first file is graded");
                }
            var id = student ?? team ?? Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
            return (new Manifest(id, tasks, notes), problems);
        }
    }

    /// <summary>Why a named file may not be read (outside the submission folder, through a link, or not a file), or null.</summary>
    private static string? Inside(string folder, string relative)
    {
        if (Path.IsPathRooted(relative)) return "is an absolute path; name it relative to the submission folder";
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root, StringComparison.Ordinal)) return "is outside the submission folder";
        // No link may lead out of the folder (a link to /etc/shadow or to another student's files).
        for (var p = full; p.Length > root.Length; p = Path.GetDirectoryName(p)!)
            if (new FileInfo(p).LinkTarget is not null) return "is a symbolic link; submit the file itself";
        if (Directory.Exists(full)) return "is a folder, not a file";
        return null;
    }
}
