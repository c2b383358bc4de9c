using Jobkore.Core.Sync;

namespace Jobkore.Tests.Core.Sync;

public sealed class QboNamesTests
{
    [Theory]
    [InlineData("  Maria   O'Brien ", "Maria O'Brien")]
    [InlineData("Harbor Lofts: Unit 4", "Harbor Lofts- Unit 4")]
    [InlineData("Line one\nLine\ttwo", "Line one Line two")]
    [InlineData("Émilie Zoë 🚰 Plumbing", "Émilie Zoë 🚰 Plumbing")]
    public void DisplayName_IsTrimmedCollapsedAndFreeOfCharactersQuickBooksRefuses(string name, string expected)
    {
        QboNames.DisplayName(name).ShouldBe(expected);
    }

    [Fact]
    public void DisplayName_LongerThanQuickBooksAllows_IsCutTo500()
    {
        QboNames.DisplayName(new string('a', 600)).Length.ShouldBe(500);
    }

    [Fact]
    public void ItemName_LongerThanQuickBooksAllows_IsCutTo100()
    {
        QboNames.ItemName(new string('b', 150) + ":x").ShouldBe(new string('b', 100));
    }
}
