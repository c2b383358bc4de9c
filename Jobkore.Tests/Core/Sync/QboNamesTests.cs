using Jobkore.Core.Sync;

namespace Jobkore.Tests.Core.Sync;

public sealed class QboNamesTests
{
    [Theory]
    [InlineData("  Maria   O'Brien ", "Maria O'Brien")]
    [InlineData("Harbor Lofts: Unit 4", "Harbor Lofts- Unit 4")]
    [InlineData("Line one\nLine\ttwo", "Line one Line two")]
    [InlineData("Émilie Zoë 🚰 Plumbing", "Émilie Zoë 🚰 Plumbing")]
    [InlineData("Bell\u0007Esc\u001B Co\u0000", "Bell Esc Co")]
    [InlineData("C:\\Temp\\'x'", "C-\\Temp\\'x'")]
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
    public void DisplayName_CutInsideAnEmoji_DropsTheWholeEmoji()
    {
        QboNames.DisplayName(new string('a', 499) + "🚰🚰").ShouldBe(new string('a', 499));
    }

    [Fact]
    public void ItemName_LongerThanQuickBooksAllows_IsCutTo100()
    {
        QboNames.ItemName(new string('b', 150) + ":x").ShouldBe(new string('b', 100));
    }
}
