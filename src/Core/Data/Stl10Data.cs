using System.Collections.Concurrent;
using Harness.Core.Configuration;
using Harness.Core.Training;
using static TorchSharp.torch;

namespace Harness.Core.Data;

/// <summary>
/// Where a run's STL-10 comes from: the real release in the first data root that holds its four labelled files, or,
/// when none does, the synthetic stand-in (<see cref="Stl10StandIn"/>). Found without reading a byte, so that the run
/// key can name the data: <see cref="Identity"/> lists the MD5s of the files that will be read, and the reader accepts
/// the files only with exactly those MD5s, so a record's identity is always that of the data it was made from.
/// </summary>
public sealed record Stl10Source(string Folder, DataSetInfo Layout, bool StandIn)
{
    public static Stl10Source Find(HarnessOptions options) =>
        Stl10Catalog.Locate(options.DataRoots) is { } folder
            ? new Stl10Source(folder, Stl10Catalog.Stl10, StandIn: false)
            : new Stl10Source(Path.Combine(Stl10StandIn.Root, Stl10Catalog.Folder), Stl10StandIn.Layout, StandIn: true);

    /// <summary>What the data are, for the run key, the settings table and the report: kind and each file's MD5.</summary>
    public string Identity => (StandIn ? $"{Stl10StandIn.Note} (generator v{Stl10StandIn.Version})" : "STL-10 binary release")
        + "; MD5 " + string.Join(", ", Layout.Files.Select(f => $"{f.Name} {f.Md5}"));

    /// <summary>The note every record and report made from these data carries, or null for the real release.</summary>
    public string? Note => StandIn ? Stl10StandIn.Note : null;
}

/// <summary>
/// STL-10's labelled images, verified: the official training (5,000) and test (8,000) files, and the 13,000 of both
/// pooled (<see cref="Labelled"/>: training rows first, then test rows), all three sharing one uint8 tensor.
/// </summary>
public sealed record Stl10Data(Stl10Source Source, ImageDataSet Train, ImageDataSet Test, ImageDataSet Labelled)
{
    private static readonly ConcurrentDictionary<string, Stl10Data> Cache = new();

    /// <summary>The data of <see cref="Stl10Source.Find"/>, read and verified once per process (the stand-in written first if needed).</summary>
    public static Stl10Data Load(HarnessOptions options, IProgressSink progress)
    {
        var source = Stl10Source.Find(options);
        if (source.StandIn)
        {
            progress.Message($"STL-10 not found in {string.Join(", ", options.DataRoots)} ({Stl10Catalog.Folder}/ with train_X.bin, train_y.bin, test_X.bin, test_y.bin); " +
                             $"using the {Stl10StandIn.Note}. Fetch the real data with: harness data fetch stl10");
            Stl10StandIn.Ensure(progress);
        }
        return Cache.GetOrAdd(source.Folder, _ => Read(source, progress));
    }

    /// <summary>Reads the four files of a source, each checked for its length and MD5 and the labels for their range.</summary>
    public static Stl10Data Read(Stl10Source source, IProgressSink progress)
    {
        progress.Message($"Loading {source.Layout.DisplayName} from {source.Folder}");
        var names = Stl10Format.ClassNames(source.Folder);
        byte[] Verified(DataFile f)
        {
            try { return Stl10Format.ReadVerified(Path.Combine(source.Folder, f.Name), f); }
            catch (DataFileException e) when (source.StandIn)
            {
                throw new DataFileException($"{e.Message} (This is the stand-in: delete {Stl10StandIn.Root} to write it again; if that does not help, its generator changed without a new Version and checksums.)");
            }
        }
        var l = source.Layout;
        using var scope = NewDisposeScope();
        var trainX = Stl10Format.Images(Verified(l.TrainImages), l.TrainImages);
        var testX = Stl10Format.Images(Verified(l.TestImages), l.TestImages);
        var trainY = Stl10Format.Labels(Verified(l.TrainLabels), Path.Combine(source.Folder, l.TrainLabels.Name), names.Length);
        var testY = Stl10Format.Labels(Verified(l.TestLabels), Path.Combine(source.Folder, l.TestLabels.Name), names.Length);
        var pixels = cat(new[] { trainX, testX }, 0);
        var labels = tensor(trainY.Concat(testY).ToArray(), dtype: ScalarType.Int64);
        int nTrain = trainY.Length, nTest = testY.Length;
        ImageDataSet Set(string split, long start, long count) => ImageDataSet.FromBytes($"{l.DisplayName} {split}",
            pixels.narrow(0, start, count).DisposeScopeless(), labels.narrow(0, start, count).DisposeScopeless(), names);
        return new Stl10Data(source, Set("train", 0, nTrain), Set("test", nTrain, nTest), Set("labelled (train + test)", 0, nTrain + nTest));
    }

    /// <summary>harness data verify's lines for STL-10: each labelled file checked, or where it was looked for.</summary>
    public static IEnumerable<(DataSetInfo Set, DataFile File, string? Path, string Status)> Verify(IReadOnlyList<string> roots)
    {
        var info = Stl10Catalog.Stl10;
        var folder = Stl10Catalog.Locate(roots);
        foreach (var f in info.Files)
        {
            if (folder is null)
            {
                yield return (info, f, null, $"not found in {string.Join(", ", roots.SelectMany(Stl10Catalog.Candidates))} (harness data fetch stl10 downloads it; until then the ece4179 tasks use the {Stl10StandIn.Note})");
                continue;
            }
            var path = Path.Combine(folder, f.Name);
            string status;
            try { Stl10Format.Verify(path, f); status = "ok (md5 " + f.Md5 + ")"; }
            catch (DataFileException e) { status = "FAILED: " + e.Message; }
            yield return (info, f, path, status);
        }
    }
}
