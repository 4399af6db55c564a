using System.Collections.Concurrent;
using Harness.Core.Configuration;
using Harness.Core.Training;
using static TorchSharp.torch;

namespace Harness.Core.Data;

/// <summary>A data set's canonical split, loaded and verified.</summary>
public sealed record TrainTest(ImageDataSet Train, ImageDataSet Test);

/// <summary>
/// Finds data sets under the configured data roots (in order), verifies and loads them once per process,
/// and downloads them from the canonical mirrors when allowed and found nowhere.
/// </summary>
public sealed class DataSets(HarnessOptions options, IProgressSink progress)
{
    private static readonly ConcurrentDictionary<string, TrainTest> Cache = new();

    public TrainTest Mnist() => Load(DataSetCatalog.Mnist);
    public TrainTest FashionMnist() => Load(DataSetCatalog.FashionMnist);
    /// <summary>STL-10's labelled images from the data roots, or its synthetic stand-in when none holds them (see <see cref="Stl10Data"/>).</summary>
    public Stl10Data Stl10() => Stl10Data.Load(options, progress);

    /// <summary>
    /// The set from the first data root whose copy is whole and verifies; a root whose copy is corrupt is skipped with
    /// a warning naming it (and the next one tried), and only when none is good does loading fail, with every reason.
    /// </summary>
    public TrainTest Load(DataSetInfo info)
    {
        var problems = new List<string>();
        foreach (var folder in Candidates(info))
        {
            try { return Cache.GetOrAdd(info.Id + "|" + folder, _ => Read(info, folder)); }
            catch (DataFileException e)
            {
                progress.Message($"warning: {info.DisplayName} in {folder} cannot be used ({e.Message}); trying the next data root.");
                problems.Add(e.Message);
            }
        }
        if (problems.Count > 0 && !options.AllowDownload)
            throw new DataFileException($"No usable copy of {info.DisplayName}: {string.Join(" | ", problems)}");
        var downloaded = Download(info);
        return Cache.GetOrAdd(info.Id + "|" + downloaded, _ => Read(info, downloaded));
    }

    /// <summary>The first data root holding all four files of the set (compressed or not), or null.</summary>
    public string? Locate(DataSetInfo info) => Candidates(info).FirstOrDefault();

    /// <summary>Every data root's folder that holds all four files of the set, in the order of the roots.</summary>
    private IEnumerable<string> Candidates(DataSetInfo info) =>
        options.DataRoots.Select(root => Path.Combine(root, info.Folder)).Where(folder => info.Files.All(f => FindFile(folder, f) is not null));

    public static string? FindFile(string folder, DataFile file)
    {
        foreach (var name in new[] { file.Name + ".gz", file.Name })
        {
            var p = Path.Combine(folder, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>Checks every file of every known data set it can find; one line per file.</summary>
    public IEnumerable<(DataSetInfo Set, DataFile File, string? Path, string Status)> Verify()
    {
        foreach (var info in DataSetCatalog.All)
        {
            var folder = Locate(info);
            foreach (var f in info.Files)
            {
                if (folder is null) { yield return (info, f, null, "not found in " + string.Join(", ", options.DataRoots)); continue; }
                var path = FindFile(folder, f)!;
                string status;
                try { IdxReader.Read(path, f.Shape, f.Md5); status = "ok (md5 " + f.Md5 + ")"; }
                catch (DataFileException e) { status = "FAILED: " + e.Message; }
                yield return (info, f, path, status);
            }
        }
        foreach (var line in Stl10Data.Verify(options.DataRoots)) yield return line;
    }

    private TrainTest Read(DataSetInfo info, string folder)
    {
        progress.Message($"Loading {info.DisplayName} from {folder}");
        var cache = new DecodedCache(options.CacheDir, progress);
        // The file's verified bytes: from the decoded cache when the source is unchanged, else read, checked and cached.
        Tensor Bytes(DataFile file)
        {
            var path = FindFile(folder, file)!;
            if (cache.TryRead(path, file) is { } cached) return cached;
            var array = IdxReader.Read(path, file.Shape, file.Md5);
            cache.Write(path, file, array);
            return tensor(array.Data, dtype: ScalarType.Byte);
        }
        ImageDataSet Part(DataFile images, DataFile labels, string split)
        {
            using var scope = NewDisposeScope();
            var x = Bytes(images).reshape(images.Shape[0], 1, images.Shape[1], images.Shape[2]);
            var y = Bytes(labels).to_type(ScalarType.Int64);
            var maxLabel = y.max().item<long>();
            if (maxLabel >= info.ClassNames.Length)
                throw new DataFileException($"{FindFile(folder, labels)}: label {maxLabel} is out of range for {info.ClassNames.Length} classes.");
            return ImageDataSet.FromBytes($"{info.DisplayName} {split}", x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), info.ClassNames);
        }
        return new TrainTest(Part(info.TrainImages, info.TrainLabels, "train"), Part(info.TestImages, info.TestLabels, "test"));
    }

    private string Download(DataSetInfo info)
    {
        var looked = string.Join(", ", options.DataRoots.Select(r => Path.Combine(r, info.Folder)));
        if (!options.AllowDownload)
            throw new DataFileException($"{info.DisplayName} not found (looked in {looked}). Put its four IDX files (.gz or raw) in one of those folders, add a data root (--data-root DIR or HARNESS__DataRoots__0=DIR), or set AllowDownload=true.");
        var target = Path.Combine(options.DownloadRoot, info.Folder);
        progress.Message($"{info.DisplayName} not found in {looked}; downloading to {target}");
        DataDownloader.Fetch(info, target, progress);
        return target;
    }
}
