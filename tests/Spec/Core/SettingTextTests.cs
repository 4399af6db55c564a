using System.Text.Json;
using FluentAssertions;
using Harness.Core.Records;
using NUnit.Framework;

namespace Harness.Spec.Core;

[TestFixture, Property("Area", "Records")]
public class SettingTextTests
{
    const string Steps = """[{"name":"+ dropout","network":{"conv1":32,"batchNorm":true},"augment":false},{"name":"+ AdamW","network":{"conv1":32,"batchNorm":true},"augment":true}]""";

    [Test]
    public void A_list_of_objects_reads_one_element_per_line_and_scalars_stay_as_written()
    {
        using var doc = JsonDocument.Parse(Steps);
        SettingText.Of(doc.RootElement).Should().Be(
            "{name: \"+ dropout\", network: {conv1: 32, batchNorm: true}, augment: false}\n" +
            "{name: \"+ AdamW\", network: {conv1: 32, batchNorm: true}, augment: true}");
        using var scalars = JsonDocument.Parse("""{"lr":0.001,"name":"Adam","sizes":[1,2,3]}""");
        var root = scalars.RootElement;
        SettingText.Of(root.GetProperty("lr")).Should().Be("0.001");
        SettingText.Of(root.GetProperty("name")).Should().Be("Adam");
        SettingText.Of(root.GetProperty("sizes")).Should().Be("[1, 2, 3]");
    }

    [Test]
    public void Indented_json_stored_by_older_records_is_tidied_and_other_text_is_left_alone()
    {
        var indented = JsonSerializer.Serialize(JsonDocument.Parse(Steps).RootElement, new JsonSerializerOptions { WriteIndented = true });
        using var doc = JsonDocument.Parse(Steps);
        SettingText.Tidy(indented).Should().Be(SettingText.Of(doc.RootElement));
        SettingText.Tidy("[not json").Should().Be("[not json");
        SettingText.Tidy("Adam").Should().Be("Adam");
    }
}
