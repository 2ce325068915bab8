using System.Text.Json;
using Dealwire.Engine.Model;

namespace Dealwire.ServerApi.Wire;

/// <summary>A CRM customer on the wire (scaletrade-model §4.14), without secrets: the password hash is never written.</summary>
internal static class CustomerWire
{
    public static void Write(Utf8JsonWriter w, CustomerRecord c)
    {
        w.WriteStartObject();
        w.WriteNumber("customer_id", c.CustomerId);
        w.WriteString("external_id", c.ExternalId);
        w.WriteNumber("type", c.Type);
        w.WriteNumber("status", c.Status);
        w.WriteNumber("enable", c.Enable ? 1 : 0);
        w.WriteNumber("enable_otp", c.EnableOtp ? 1 : 0);
        w.WriteString("first_name", c.FirstName);
        w.WriteString("last_name", c.LastName);
        w.WriteString("middle_name", c.MiddleName);
        w.WriteString("full_name", c.FullName);
        w.WriteNumber("birth_date", c.BirthDate);
        w.WriteString("citizenship", c.Citizenship);
        w.WriteString("country_of_residence", c.CountryOfResidence);
        w.WriteString("email", c.Email);
        w.WriteString("phone", c.Phone);
        w.WriteString("preferred_language", c.PreferredLanguage);
        w.WriteString("timezone", c.Timezone);
        w.WriteString("brand", c.Brand);
        w.WriteString("desk", c.Desk);
        w.WriteNumber("desk_id", c.DeskId);
        w.WriteNumber("manager_id", c.ManagerId);
        w.WriteString("lead_source", c.LeadSource);
        w.WriteString("campaign", c.Campaign);
        w.WriteString("affiliate_id", c.AffiliateId);
        w.WriteString("introducer_id", c.IntroducerId);
        w.WriteNumber("assigned_manager_id", c.AssignedManagerId);
        w.WriteString("crm_stage", c.CrmStage);
        w.WriteString("segment", c.Segment);
        w.WriteString("tags_json", c.TagsJson);
        w.WriteNumber("email_verified", c.EmailVerified ? 1 : 0);
        w.WriteNumber("phone_verified", c.PhoneVerified ? 1 : 0);
        w.WriteNumber("marketing_allowed", c.MarketingAllowed ? 1 : 0);
        w.WriteString("tax_id", c.TaxId);
        w.WriteString("national_id", c.NationalId);
        w.WriteNumber("pep_status", c.PepStatus);
        w.WriteNumber("sanctions_status", c.SanctionsStatus);
        w.WriteNumber("risk_level", c.RiskLevel);
        w.WriteNumber("aml_status", c.AmlStatus);
        w.WriteNumber("kyc_status", c.KycStatus);
        w.WriteNumber("sales_status", c.SalesStatus);
        w.WriteNumber("create_time", WireTime.ToSeconds(c.CreateTime));
        w.WriteNumber("update_time", WireTime.ToSeconds(c.UpdateTime));
        w.WriteEndObject();
    }
}
