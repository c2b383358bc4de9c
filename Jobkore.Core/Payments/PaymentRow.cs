using Jobkore.Core.Domain;

namespace Jobkore.Core.Payments;

public sealed record PaymentRow(int Id, DateOnly Date, int InvoiceId, string InvoiceNumber, string ClientName, PaymentMethod Method, string? Reference, decimal Amount);

/// <summary>A payment as a person enters it.</summary>
public sealed record PaymentEntry(decimal Amount, DateOnly Date, PaymentMethod Method, string? Reference);
