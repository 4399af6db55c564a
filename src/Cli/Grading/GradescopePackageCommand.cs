using System.Globalization;
using System.IO.Compression;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Experiments;
using Harness.Core.Grading;
using Harness.Core.Training;
using Harness.Tasks;

namespace Harness.Cli.Grading;

/// <summary>
/// harness gradescope-package --assignment X: the zip a course uploads as a Gradescope autograder. At its root,
/// <c>setup.sh</c> (run once when Gradescope builds the image: installs .NET and builds the harness from the enclosed
/// source) and <c>run_autograder</c> (run per submission: <c>harness grade --gradescope</c>); beside them the harness's
/// source and the held-out data sets of the graded tasks, so that grading needs no network.
/// </summary>
public static class GradescopePackageCommand
{
    /// <summary>What of a source checkout the build needs (tests and generated files stay out).</summary>
    private static readonly string[] SourceFiles = ["Directory.Build.props", "Directory.Build.targets", "global.json", "appsettings.json", "README.md"];
    private static readonly string[] SourceFolders = ["src", "build"];

    public static int Run(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        var assignment = Assignments.Get(args.Value("assignment") ?? throw new UsageException("gradescope-package needs --assignment (harness list shows them)"));
        var tasks = args.Values("task");
        var grading = GradeCommand.Options(args, options);
        var withoutData = args.Switch("no-data");
        var outPath = Path.GetFullPath(args.Value("out") ?? $"gradescope-{assignment.Id}.zip");
        args.EnsureAllRead();
        var graded = new GradingBatch(assignment, tasks, options, grading, Path.GetTempPath(), progress).GradedTasks;
        var root = (OptionsLoader.FindSettingsFile() is { } settings ? Path.GetDirectoryName(settings) : null)
            ?? throw new HarnessException("gradescope-package packs the harness's source so that Gradescope can build it: run it inside a source checkout (the folder with Harness.sln).");
        var data = graded.Select(t => ((IGradedTask)t).HeldOutData).Distinct().ToList();
        var sets = new DataSets(options, progress);
        var located = new List<(DataSetInfo Set, string Folder)>();
        if (!withoutData)
            foreach (var d in data)
                located.Add((d, sets.Locate(d) ?? throw new HarnessException($"{d.DisplayName} is not in any data root ({string.Join(", ", options.DataRoots)}), so it cannot be packed: add a data root (--data-root DIR), or pass --no-data to let the autograder download it when it is built.")));

        var flags = Flags(assignment, tasks, grading);
        var tmp = outPath + $".tmp-{Environment.ProcessId}";
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        using (var zip = ZipFile.Open(tmp, ZipArchiveMode.Create))
        {
            Text(zip, "setup.sh", SetupScript(assignment, withoutData), executable: true);
            Text(zip, "run_autograder", RunScript(flags), executable: true);
            Text(zip, "README.txt", Readme(assignment, graded, flags));
            foreach (var f in SourceFiles.Where(f => File.Exists(Path.Combine(root, f))))
                zip.CreateEntryFromFile(Path.Combine(root, f), "harness/" + f);
            foreach (var folder in SourceFolders)
                foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var rel = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                    if (rel.Split('/').Any(p => p is "bin" or "obj")) continue;
                    zip.CreateEntryFromFile(file, "harness/" + rel);
                }
            foreach (var (set, folder) in located)
                foreach (var f in set.Files)
                    if (DataSets.FindFile(folder, f) is { } path)
                        zip.CreateEntryFromFile(path, $"data/{set.Folder}/{Path.GetFileName(path)}", CompressionLevel.NoCompression);
        }
        File.Move(tmp, outPath, overwrite: true);
        Console.WriteLine($"{assignment.Id}: Gradescope autograder {outPath} ({new FileInfo(outPath).Length / (1024.0 * 1024):0.0} MiB)");
        Console.WriteLine($"  grades task{(graded.Count == 1 ? "" : "s")} {string.Join(", ", graded.Select(t => t.Id))} at the {grading.Profile.ToString().ToLowerInvariant()} profile's thresholds; " +
                          (withoutData ? "data sets downloaded when Gradescope builds the image" : $"data packed: {string.Join(", ", located.Select(l => l.Set.DisplayName))}"));
        Console.WriteLine($"  upload it under Configure Autograder → Zip file upload; students submit {ManifestReader.FileName} and their model files.");
        return ExitCodes.Ok;
    }

    /// <summary>The grade flags run_autograder passes (the same budgets and profile as asked for here).</summary>
    private static string Flags(IAssignment assignment, IReadOnlyList<string> tasks, GradingOptions g)
    {
        var f = new List<string> { "--assignment", assignment.Id };
        if (tasks.Count > 0) f.AddRange(["--task", string.Join(",", tasks)]);
        if (g.Profile != Profile.Full) f.AddRange(["--profile", g.Profile.ToString().ToLowerInvariant()]);
        f.AddRange(["--time-limit", g.TimeLimitSeconds.ToString("0", CultureInfo.InvariantCulture), "--memory-limit-mb", (g.MemoryLimitBytes >> 20).ToString(CultureInfo.InvariantCulture),
            "--max-model-mb", (g.MaxModelBytes >> 20).ToString(CultureInfo.InvariantCulture)]);
        return string.Join(" ", f);
    }

    private static string SetupScript(IAssignment assignment, bool download) => $$"""
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, when it builds the autograder image (Ubuntu): it installs .NET, builds the
        # harness from the enclosed source into /autograder/harness and checks that it starts.
        set -euo pipefail
        SOURCE="${GRADESCOPE_ROOT:-/autograder}/source"
        export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
        apt-get update -qq
        apt-get install -y -qq curl ca-certificates libicu-dev >/dev/null
        # Feedback PDFs use Liberation Sans (the metric-compatible Arial); a missing font only changes the typeface.
        apt-get install -y -qq fonts-liberation2 >/dev/null 2>&1 || apt-get install -y -qq fonts-liberation >/dev/null 2>&1 || true
        if ! command -v dotnet >/dev/null; then
          curl -sSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
          bash /tmp/dotnet-install.sh --jsonfile "$SOURCE/harness/global.json" --install-dir /usr/share/dotnet
          ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet
        fi
        dotnet publish "$SOURCE/harness/src/Cli/Harness.Cli.csproj" -c Release -o /autograder/harness
        # The held-out data sets of the graded tasks, checked (and downloaded once, here, when they were not packed).
        HARNESS__DataRoots__0="$SOURCE/data" HARNESS__DownloadRoot="$SOURCE/data" HARNESS__AllowDownload={{(download ? "true" : "false")}} \
          dotnet /autograder/harness/harness.dll grade --assignment {{assignment.Id}} --prepare-data
        echo "harness autograder for {{assignment.Id}} installed"

        """.Replace("\r\n", "\n");

    private static string RunScript(string flags) => $$"""
        #!/usr/bin/env bash
        # Gradescope runs this for every submission: the harness grades /autograder/submission (submission.json and the
        # model files) and writes /autograder/results/results.json. GRADESCOPE_ROOT and HARNESS_DLL override the paths (tests).
        set -uo pipefail
        ROOT="${GRADESCOPE_ROOT:-/autograder}"
        HARNESS="${HARNESS_DLL:-$ROOT/harness/harness.dll}"
        export HARNESS__DataRoots__0="${HARNESS__DataRoots__0:-$ROOT/source/data}"
        export HARNESS__AllowDownload=false HARNESS__CacheDir="${HARNESS__CacheDir:-/tmp/harness-decoded}"
        cd "$ROOT"
        dotnet "$HARNESS" grade --gradescope {{flags}} --submission "$ROOT/submission" --results "$ROOT/results/results.json"
        status=$?
        if [ ! -s "$ROOT/results/results.json" ]; then
          mkdir -p "$ROOT/results"
          printf '{"score": 0, "output": "The autograder could not grade this submission (exit status %s); please tell the course staff.", "tests": []}\n' "$status" > "$ROOT/results/results.json"
        fi

        """.Replace("\r\n", "\n");

    private static string Readme(IAssignment a, IReadOnlyList<TaskDefinition> graded, string flags) =>
        $"""
        Harness autograder for {a.Id}: {a.Title} ({a.Course}).
        Graded tasks: {string.Join(", ", graded.Select(t => $"{t.Id} ({t.Title})"))}.
        Students submit {ManifestReader.FileName} and their model files (PyTorch state_dict saved with torch.save, safetensors, or TorchSharp module.save), e.g.
          {ManifestReader.Example(a, graded.Select(t => t.Id).ToList())}
        Each submission runs: harness grade --gradescope {flags}
        Requirements marked after_published are judged at once and shown to students when grades are published.

        """.Replace("\r\n", "\n");

    private static void Text(ZipArchive zip, string name, string text, bool executable = false)
    {
        var e = zip.CreateEntry(name);
        // Unix permissions live in the high 16 bits of the external attributes: 0755 for the scripts, 0644 otherwise.
        e.ExternalAttributes = (executable ? 0b111_101_101 : 0b110_100_100) << 16 | (0x8000 << 16);
        using var w = new StreamWriter(e.Open());
        w.Write(text);
    }
}
