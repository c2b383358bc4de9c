namespace Jobkore.Core.SyncState;

/// <summary>
/// The optional fields Jobkore owns in QuickBooks records: a set of them is kept per sync record (which of them
/// QuickBooks holds a value in), so emptying one is known to need a full update without reading first.
/// </summary>
/// <remarks>Stored: the bits in <see cref="SyncRecord.HeldFields"/>, the names in the write journal. Never renumber or rename them.</remarks>
[Flags]
public enum QboFieldSet
{
    None = 0,
    CompanyName = 1 << 0,
    Email = 1 << 1,
    Phone = 1 << 2,
    AddressLine1 = 1 << 3,
    AddressLine2 = 1 << 4,
    City = 1 << 5,
    Region = 1 << 6,
    PostalCode = 1 << 7,
    Country = 1 << 8,
    Description = 1 << 9,
    Memo = 1 << 10,
    PaymentReference = 1 << 11,
    PaymentMethod = 1 << 12,
    Note = 1 << 13,

    /// <summary>What a record whose fields are not known is assumed to hold.</summary>
    All = (1 << 14) - 1,
}
