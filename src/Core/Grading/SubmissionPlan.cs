using System.Security.Cryptography;
using System.Text;
using Harness.Core.Configuration;
using Harness.Core.Experiments;

namespace Harness.Core.Grading;

/// <summary>
/// A submission folder made ready to grade: its manifest (or the problems with it), the model file of each graded task
/// it names, and the hashes that decide whether an earlier grade still stands — the content hash over the manifest and
/// those files, and the grading key, which adds everything else that changes a grade.
/// </summary>
public sealed record SubmissionPlan(string Id, string Folder, string Student, string? Notes, IReadOnlyList<TaskFile> Files,
    IReadOnlyList<string> Problems, string ContentHash, string GradingKey)
{
    /// <summary>Bump when the grader's measuring or judging changes what a grade says, so that every submission is graded again.</summary>
    public const int GraderRevision = 1;

    private static readonly string[] ModelExtensions = [".pt", ".pth", ".bin", ".safetensors", ".ckpt", ".weights", ".dat", ".ts"];

    public static SubmissionPlan For(string folder, IAssignment assignment, IReadOnlyList<TaskDefinition> graded, HarnessOptions options, GradingOptions grading)
    {
        var id = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        var ids = graded.Select(t => t.Id).ToList();
        var (manifest, problems) = ManifestReader.Read(folder, assignment, ids);
        var problemList = problems.ToList();
        if (manifest is null && Inferred(folder, ids) is { } single)
        {
            // A lone model file for a lone task (a Gradescope upload of just the .pt): graded as that task, and said so.
            manifest = new Manifest(id, new Dictionary<string, string> { [ids[0]] = single }, null);
            problemList = [$"there is no {ManifestReader.FileName}, so the only model file, {single}, was graded as task {ids[0]}"];
        }
        var files = manifest is null ? [] : graded.Where(t => manifest.Tasks.ContainsKey(t.Id))
            .Select(t => new TaskFile(t.Id, Path.GetFullPath(Path.Combine(folder, manifest.Tasks[t.Id])), manifest.Tasks[t.Id])).ToList();
        var content = ContentHashOf(folder, files, grading.MaxModelBytes);
        var key = Hash(sb =>
        {
            sb.Append(content).Append("|grader ").Append(GraderRevision).Append('|').Append(assignment.Id)
              .Append('|').Append(grading.Profile).Append("|seed ").Append(options.Seed).Append('|').Append(options.Device)
              .Append("|max ").Append(grading.MaxModelBytes);
            foreach (var t in graded)
            {
                sb.Append('|').Append(t.Id).Append(" r").Append(t.Revision);
                foreach (var (req, vis) in GradeJudge.Judged(t)) sb.Append('|').Append(req.Id).Append(' ').Append(req.Points).Append(' ').Append(vis).Append(' ').Append(req.Text);
            }
        });
        return new SubmissionPlan(id, Path.GetFullPath(folder), manifest?.Student ?? id, manifest?.Notes, files, problemList, content, key);
    }

    /// <summary>The one file with a model's extension in a folder without a manifest, when one task is graded.</summary>
    private static string? Inferred(string folder, IReadOnlyList<string> tasks)
    {
        if (tasks.Count != 1 || File.Exists(Path.Combine(folder, ManifestReader.FileName))) return null;
        var candidates = Directory.EnumerateFiles(folder).Where(f => ModelExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())
            && new FileInfo(f).LinkTarget is null).ToList();
        return candidates.Count == 1 ? Path.GetFileName(candidates[0]) : null;
    }

    /// <summary>
    /// SHA-256 over the manifest's bytes and each named file's bytes (by task). A file above the size limit is hashed by
    /// its length and modification time instead: it is refused unread, and hashing 5 GB would take the time it saves.
    /// </summary>
    private static string ContentHashOf(string folder, IReadOnlyList<TaskFile> files, long maxBytes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string s) => sha.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
        var manifest = Path.Combine(folder, ManifestReader.FileName);
        if (File.Exists(manifest) && new FileInfo(manifest).Length <= 1 << 20) sha.AppendData(File.ReadAllBytes(manifest));
        else Text("no manifest");
        foreach (var f in files.OrderBy(f => f.TaskId, StringComparer.Ordinal))
        {
            Text($"task {f.TaskId} {f.Display}");
            var info = new FileInfo(f.Path);
            if (!info.Exists) { Text("missing"); continue; }
            if (info.Length > maxBytes) { Text($"oversize {info.Length} {info.LastWriteTimeUtc.Ticks}"); continue; }
            using var stream = info.OpenRead();
            var buffer = new byte[1 << 20];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, n);
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    private static string Hash(Action<StringBuilder> build)
    {
        var sb = new StringBuilder();
        build(sb);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()))).ToLowerInvariant();
    }
}
