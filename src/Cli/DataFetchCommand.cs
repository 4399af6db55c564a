using System.Diagnostics;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Training;

namespace Harness.Cli;

/// <summary>
/// harness data fetch stl10 [--to DIR] [--url URL]: downloads STL-10's binary release with a progress bar, resuming cut
/// connections, and keeps only its four labelled files, verified, in DIR/stl10_binary (DIR: DownloadRoot by default).
/// </summary>
public static class DataFetchCommand
{
    public static int Run(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        var set = args.Positional.Count > 2 ? args.Positional[2] : throw new UsageException("data fetch needs a data set: harness data fetch stl10");
        if (!set.Equals("stl10", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"data fetch knows stl10 (MNIST and Fashion-MNIST are downloaded when a task first needs them); got '{set}'");
        var root = args.Value("to") is { } to ? OptionsLoader.ResolvePath(to, Directory.GetCurrentDirectory()) : options.DownloadRoot;
        var url = args.Value("url") ?? Stl10Catalog.Url;
        args.EnsureAllRead();
        var folder = Path.Combine(root, Stl10Catalog.Folder);
        var clock = Stopwatch.StartNew();
        foreach (var path in Stl10Download.Fetch(url, folder, Stl10Catalog.Stl10, progress)) Console.WriteLine($"{path}: ok");
        Console.WriteLine($"STL-10's labelled files are in {folder} ({clock.Elapsed.TotalSeconds:0} s).");
        if (!options.DataRoots.SelectMany(Stl10Catalog.Candidates).Contains(folder))
            Console.WriteLine($"Note: {root} is not a data root ({string.Join(", ", options.DataRoots)}); add --data-root {root} (or HARNESS__DataRoots__N={root}) so that the tasks find it.");
        return 0;
    }
}
