using Harness.Core.Training;

namespace Harness.Core.Data;

/// <summary>
/// Fetches a data set's files from its canonical mirrors, trying each in turn; a file is accepted only when
/// its uncompressed MD5 is the canonical one, and is moved into place atomically (no half-written files).
/// </summary>
public static class DataDownloader
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(10) };

    public static void Fetch(DataSetInfo info, string folder, IProgressSink progress)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in info.Files)
        {
            var target = Path.Combine(folder, file.Name + ".gz");
            if (File.Exists(target))
            {
                try { IdxReader.Read(target, file.Shape, file.Md5); continue; }
                catch (DataFileException) { File.Delete(target); }
            }
            var errors = new List<string>();
            foreach (var mirror in info.Mirrors)
            {
                var url = mirror + file.Name + ".gz";
                var tmp = target + ".download";
                try
                {
                    progress.Message($"Downloading {url}");
                    using (var response = Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult())
                    {
                        response.EnsureSuccessStatusCode();
                        using var body = response.Content.ReadAsStream();
                        using var output = File.Create(tmp);
                        body.CopyTo(output);
                    }
                    IdxReader.Read(tmp, file.Shape, file.Md5); // verifies structure and checksum
                    File.Move(tmp, target, overwrite: true);
                    errors.Clear();
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or DataFileException)
                {
                    errors.Add($"{url}: {e.Message}");
                    if (File.Exists(tmp)) File.Delete(tmp);
                }
            }
            if (errors.Count > 0)
                throw new DataFileException($"Could not download {info.DisplayName} file {file.Name}: {string.Join("; ", errors)}. Download it by hand into {folder} or add a data root that holds it.");
        }
    }
}
