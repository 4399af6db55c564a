using FluentAssertions;
using Harness.Core.Data;
using NUnit.Framework;

namespace Harness.Spec.Ece4179;

/// <summary>
/// harness data fetch stl10 against a local HTTP server on 127.0.0.1 serving a small archive in the official layout:
/// only the four labelled files are kept, verified; a cut connection is resumed with a Range request; bad checksums,
/// wrong sizes and truncated archives stop with one clear line. No other network is used; every wait is bounded.
/// </summary>
[Property("Assignment", "ece4179"), Property("Area", "Data")]
public sealed class Stl10DownloadTests
{
    private static readonly DownloadSettings Fast = new(MaxRetries: 3, RetryDelaySeconds: 0.01, ReadTimeoutSeconds: 15);
    private static readonly string[] Labelled = { "train_X.bin", "train_y.bin", "test_X.bin", "test_y.bin" };
    private string _dir = "";
    private string Target => Path.Combine(_dir, "data", Stl10Catalog.Folder);

    [SetUp] public void MakeDir() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "stl10-fetch-" + Guid.NewGuid().ToString("N")[..8]));
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    private void ExpectTheFourFiles(TestArchive a)
    {
        Directory.GetFiles(Target).Select(Path.GetFileName).Should().BeEquivalentTo(Labelled, "only the labelled files are kept, and nothing half-written");
        foreach (var f in Labelled) File.ReadAllBytes(Path.Combine(Target, f)).Should().Equal(File.ReadAllBytes(Path.Combine(a.Source, f)), f);
    }

    [Test]
    public void Only_the_four_labelled_files_are_extracted_verified_and_the_unlabelled_images_are_not_downloaded()
    {
        var a = TestArchive.Build(_dir);
        using var server = new LocalHttpServer(a.Bytes);
        var progress = new RecordingProgress();
        var paths = Stl10Download.Fetch(server.Url, Target, a.Layout, progress, Fast);

        paths.Select(Path.GetFileName).Should().Equal(Labelled);
        ExpectTheFourFiles(a);
        server.Requests.Should().HaveCount(1);
        server.BytesSent.Should().BeLessThan(a.Bytes.Length - (8 << 20), "reading stops once the four files are in, before most of unlabeled_X.bin");
        progress.Bars.Should().ContainSingle().Which.Description.Should().Be($"Downloading {server.Url}");
        progress.Messages.Should().Contain(m => m.Contains("Extracting stl10_binary/train_X.bin")).And.Contain(m => m.EndsWith($"train_X.bin: ok (md5 {a.Layout.TrainImages.Md5})"));

        var data = Stl10Data.Read(new Stl10Source(Target, a.Layout, StandIn: false), progress);
        data.Train.Count.Should().Be(TestArchive.TrainPerClass * 10);
        data.Test.ClassCounts().Should().OnlyContain(c => c == TestArchive.TestPerClass);
    }

    [Test]
    public void A_cut_connection_is_resumed_with_a_range_request_where_it_broke()
    {
        var a = TestArchive.Build(_dir);
        using var server = new LocalHttpServer(a.Bytes);
        server.CutAfter.Enqueue(300_000);
        server.CutAfter.Enqueue(200_000);
        var progress = new RecordingProgress();
        Stl10Download.Fetch(server.Url, Target, a.Layout, progress, Fast);

        ExpectTheFourFiles(a);
        server.Requests.Should().HaveCountGreaterThanOrEqualTo(3);
        server.Requests[1].Should().MatchRegex(@"Range: bytes=\d+- If-Range: ""v1""");
        long resumedAt = long.Parse(System.Text.RegularExpressions.Regex.Match(server.Requests[1], @"bytes=(\d+)-").Groups[1].Value);
        resumedAt.Should().BeInRange(1, 300_000, "the client resumes at the byte it had received, not from the start");
        progress.Messages.Should().Contain(m => m.Contains($"resuming at byte {resumedAt:N0}")).And.Contain(m => m.Contains("resumed 2 time(s) after a cut connection"));
    }

    [Test]
    public void A_server_that_ignores_ranges_is_read_again_with_what_came_before_skipped()
    {
        var a = TestArchive.Build(_dir);
        using var server = new LocalHttpServer(a.Bytes) { IgnoreRange = true };
        server.CutAfter.Enqueue(250_000);
        Stl10Download.Fetch(server.Url, Target, a.Layout, new RecordingProgress(), Fast);
        ExpectTheFourFiles(a);
    }

    [Test]
    public void A_file_changed_on_the_server_during_the_download_stops_with_one_line()
    {
        var a = TestArchive.Build(_dir);
        using var server = new LocalHttpServer(a.Bytes) { ETagFor = n => n == 0 ? "\"v1\"" : "\"v2\"" };
        server.CutAfter.Enqueue(250_000);
        var act = () => Stl10Download.Fetch(server.Url, Target, a.Layout, new RecordingProgress(), Fast);
        act.Should().Throw<DataFileException>().WithMessage("*127.0.0.1*the file changed on the server during the download*run the command again*");
    }

    [Test]
    public void A_bad_checksum_names_the_file_and_leaves_nothing_half_written()
    {
        var a = TestArchive.Build(_dir, tamper: (name, bytes) => { if (name == "train_X.bin") bytes[12345] ^= 0xff; });
        using var server = new LocalHttpServer(a.Bytes);
        var act = () => Stl10Download.Fetch(server.Url, Target, a.Layout, new RecordingProgress(), Fast);
        act.Should().Throw<DataFileException>().WithMessage($"*stl10_binary/train_X.bin: checksum mismatch: MD5 is *, the canonical file's is {a.Layout.TrainImages.Md5}*download it again*");
        Directory.GetFiles(Target).Select(Path.GetFileName).Should().BeEquivalentTo("test_X.bin", "test_y.bin");
    }

    [Test]
    public void A_member_of_the_wrong_size_is_rejected_before_anything_is_written()
    {
        var a = TestArchive.Build(_dir);
        var expectsMore = a.Layout with { TestImages = a.Layout.TestImages with { Shape = [30, 3, 96, 96] } };
        using var server = new LocalHttpServer(a.Bytes);
        var act = () => Stl10Download.Fetch(server.Url, Target, expectsMore, new RecordingProgress(), Fast);
        act.Should().Throw<DataFileException>().WithMessage("*stl10_binary/test_X.bin in the archive: truncated: test_X.bin holds 30 images of 96×96×3 = 829,440 bytes, but only 276,480 bytes are there*");
        Directory.GetFiles(Target).Should().BeEmpty();
    }

    [Test]
    public void A_truncated_archive_says_where_it_ends()
    {
        var a = TestArchive.Build(_dir);
        using var server = new LocalHttpServer(a.Bytes[..400_000]);
        var act = () => Stl10Download.Fetch(server.Url, Target, a.Layout, new RecordingProgress(), Fast);
        act.Should().Throw<DataFileException>().WithMessage("*127.0.0.1*: the archive is corrupt or truncated after 400,000 of 400,000 bytes, inside stl10_binary/*");
        Directory.GetFiles(Target).Should().NotContain(f => f.EndsWith(".part"));
    }

    [Test]
    public void Files_already_present_and_verified_are_kept_without_a_request()
    {
        var a = TestArchive.Build(_dir);
        Directory.CreateDirectory(Target);
        foreach (var f in Labelled) File.Copy(Path.Combine(a.Source, f), Path.Combine(Target, f));
        using var server = new LocalHttpServer(a.Bytes);
        Stl10Download.Fetch(server.Url, Target, a.Layout, new RecordingProgress(), Fast);
        server.Requests.Should().BeEmpty();
    }

    [Test]
    public void The_cli_fetches_with_progress_and_stops_on_a_file_that_is_not_the_canonical_one_in_one_line()
    {
        var a = TestArchive.Build(_dir, unlabelledBytes: 1 << 20);
        using var server = new LocalHttpServer(a.Bytes);
        var (code, output) = CliProcess.Run("data", "fetch", "stl10", "--url", server.Url, "--to", Path.Combine(_dir, "data"));
        code.Should().Be(Harness.Cli.ExitCodes.CouldNotRun, output);   // the work could not be done (exit code 4), not a requirement failed
        output.Should().Contain($"Downloading {server.Url}");
        output.Trim().Split('\n').Last().Should().StartWith("harness: ").And.Contain("stl10_binary/test_X.bin in the archive: truncated: test_X.bin holds 8,000 images");
        CliProcess.Run("data", "fetch", "cifar10").ExitCode.Should().Be(2);
    }
}
