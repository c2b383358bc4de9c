using System.ComponentModel.DataAnnotations;

namespace Jobkore.Core.Data;

/// <summary>The business created in an empty database, and whether it gets demo records. Section "Business".</summary>
public sealed class BusinessOptions : IValidatableObject
{
    public const string SectionName = "Business";

    [Required]
    [StringLength(200)]
    public string Name { get; set; } = "My business";

    /// <summary>ISO 4217 currency code.</summary>
    [Required]
    [RegularExpression("^[A-Z]{3}$", ErrorMessage = "Business:Currency must be a three-letter ISO 4217 code such as USD.")]
    public string Currency { get; set; } = "USD";

    /// <summary>IANA time zone id.</summary>
    [Required]
    public string TimeZone { get; set; } = "America/Chicago";

    /// <summary>Fill an empty database with the demo business and its records. Unset means: only in Development.</summary>
    public bool? SeedDemoData { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? string.Empty, out _))
        {
            yield return new ValidationResult($"Business:TimeZone '{TimeZone}' is not a known time zone; use an IANA id such as America/Chicago.", [nameof(TimeZone)]);
        }
    }
}
