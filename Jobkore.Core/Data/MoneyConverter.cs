using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Jobkore.Core.Data;

/// <summary>
/// Stores cent amounts as whole cents. SQLite has no decimal type: stored as text it can neither sort nor sum
/// correctly, stored as integer cents it can do both exactly.
/// </summary>
internal sealed class MoneyConverter() : ValueConverter<decimal, long>(
    amount => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero),
    cents => cents / 100m);
