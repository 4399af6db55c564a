using System.Formats.Tar;
using System.IO.Compression;
using Harness.Core.Data;
using Harness.Core.Training;

namespace Harness.Spec.Ece4179;

/// <summary>
/// A small stl10_binary.tar.gz in the official layout: the stand-in generator's images (2 per class for training, 1
/// for testing), written as the release has them — stl10_binary/ with test_X, test_y, train_X, train_y, then a large
/// unlabeled_X.bin (random bytes, so that stopping early is visible), class_names.txt and fold_indices.txt.
/// </summary>
public sealed record TestArchive(byte[] Bytes, DataSetInfo Layout, string Source)
{
    public const int TrainPerClass = 2, TestPerClass = 1;

    public static TestArchive Build(string dir, int unlabelledBytes = 24 << 20, Action<string, byte[]>? tamper = null)
    {
        var source = Path.Combine(dir, "source", Stl10Catalog.Folder);
        var md5 = Stl10StandIn.Write(source, TrainPerClass, TestPerClass);
        int classes = Stl10Catalog.ClassNames.Length;
        var layout = Stl10Catalog.Layout("test-archive", "the test archive", TrainPerClass * classes, TestPerClass * classes,
            md5["train_X.bin"], md5["train_y.bin"], md5["test_X.bin"], md5["test_y.bin"]);
        var unlabelled = new byte[unlabelledBytes];
        var rng = new SeededRandom(7, 1);
        for (int i = 0; i < unlabelled.Length; i += 8) BitConverter.GetBytes(rng.NextUInt64()).AsSpan(0, Math.Min(8, unlabelled.Length - i)).CopyTo(unlabelled.AsSpan(i));
        using var archive = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, Stl10Catalog.Folder + "/"));
            void Add(string name, byte[] content)
            {
                tamper?.Invoke(name, content);
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"{Stl10Catalog.Folder}/{name}") { DataStream = new MemoryStream(content) });
            }
            foreach (var name in new[] { "test_X.bin", "test_y.bin", "train_X.bin", "train_y.bin" }) Add(name, File.ReadAllBytes(Path.Combine(source, name)));
            Add("unlabeled_X.bin", unlabelled);
            Add(Stl10Catalog.ClassNamesFile, File.ReadAllBytes(Path.Combine(source, Stl10Catalog.ClassNamesFile)));
            Add("fold_indices.txt", "0 1 2\n"u8.ToArray());
        }
        return new TestArchive(archive.ToArray(), layout, source);
    }
}

/// <summary>A progress sink that keeps every message and every bar it was asked to show.</summary>
public sealed class RecordingProgress : IProgressSink
{
    public List<string> Messages { get; } = new();
    public List<(string Description, int Total)> Bars { get; } = new();
    public int Advanced { get; private set; }

    public IProgressTask Start(string description, int total)
    {
        lock (Messages) Bars.Add((description, total));
        return new Task(this);
    }

    public void Message(string text) { lock (Messages) Messages.Add(text); }

    private sealed class Task(RecordingProgress owner) : IProgressTask
    {
        public void Advance(int steps = 1, Func<string>? status = null)
        {
            owner.Advanced += steps;
            status?.Invoke();
        }
        public void Dispose() { }
    }
}
