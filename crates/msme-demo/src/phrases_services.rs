//! Listing words for trade, hospitality, technology and services.

use crate::profiles::Phrases;

/// Phrase banks for the service industries.
pub(super) const PHRASES: &[Phrases] = &[
    Phrases {
        id: "wholesale_distribution",
        titles: [
            "FMCG distributorship",
            "Pharma distribution business",
            "Building hardware distributor",
        ],
        activities: [
            "distributes packaged foods and personal-care brands to about 1,500 retailers.",
            "distributes medicines from 40 pharma companies to chemists and hospitals.",
            "distributes pipes, fittings and hardware to contractors and retailers.",
        ],
        strengths: [
            "It holds exclusive rights for several national brands in its territory.",
            "It runs warehouse management software and its own delivery fleet.",
            "Tight credit control keeps bad debts low.",
        ],
    },
    Phrases {
        id: "retail",
        titles: [
            "Multi-brand apparel store chain",
            "Mobile phone retail chain",
            "Home furnishings showroom",
        ],
        activities: [
            "runs apparel and footwear stores on busy high streets.",
            "sells mobile phones, accessories and repairs through several stores.",
            "sells furniture, furnishings and decor from a large showroom.",
        ],
        strengths: [
            "Its stores hold long leases at fair rents in prime locations.",
            "Footfall is steady and the online channel is growing.",
            "Its inventory system keeps stock tightly controlled.",
        ],
    },
    Phrases {
        id: "grocery_retail",
        titles: [
            "Neighbourhood supermarket",
            "Organic food store chain",
            "Dairy and sweets shop",
        ],
        activities: [
            "runs a neighbourhood supermarket with groceries, fresh produce and home delivery.",
            "sells organic staples, produce and health foods through stores and an app.",
            "sells milk products, sweets and snacks made in its own kitchen.",
        ],
        strengths: [
            "Its customers are loyal and many belong to its membership programme.",
            "It owns its store premises.",
            "It has decades of goodwill in the locality.",
        ],
    },
    Phrases {
        id: "logistics",
        titles: [
            "Road freight and fleet operator",
            "Warehousing and 3PL company",
            "Cold-chain logistics company",
        ],
        activities: [
            "runs a fleet of trucks on long-haul routes for manufacturers.",
            "runs warehouses and third-party logistics for e-commerce and FMCG clients.",
            "moves temperature-controlled goods for dairy, pharma and food companies.",
        ],
        strengths: [
            "It owns its GPS-tracked fleet and a maintenance workshop.",
            "Its warehouses sit close to national highways.",
            "Anchor clients are on multi-year contracts.",
        ],
    },
    Phrases {
        id: "hotels",
        titles: [
            "Boutique heritage hotel",
            "Business hotel",
            "Hill-station resort",
        ],
        activities: [
            "runs a boutique hotel in a restored heritage property.",
            "runs a business hotel with meeting rooms near the commercial district.",
            "runs a resort with cottages, a restaurant and event lawns.",
        ],
        strengths: [
            "Occupancy is high and guest ratings on travel platforms are strong.",
            "Corporate rate contracts bring steady weekday business.",
            "Weddings and events add revenue in the off-season.",
        ],
    },
    Phrases {
        id: "restaurants",
        titles: [
            "South Indian restaurant chain",
            "Cloud kitchen brand",
            "Bakery and cafe chain",
        ],
        activities: [
            "runs vegetarian restaurants serving breakfast and meals.",
            "runs delivery-only kitchens with three brands on food-delivery platforms.",
            "runs bakeries and cafes supplied from a central kitchen.",
        ],
        strengths: [
            "Standard recipes and a central kitchen make new outlets easy to open.",
            "Ratings and repeat orders on delivery platforms are high.",
            "Every outlet is profitable on its own.",
        ],
    },
    Phrases {
        id: "it_services",
        titles: [
            "IT services and staffing firm",
            "CRM consulting partner",
            "Managed IT services provider",
        ],
        activities: [
            "provides software developers and testers to mid-size technology clients.",
            "implements and supports CRM platforms for Indian and overseas customers.",
            "manages networks, devices and cloud accounts for small and mid-size businesses.",
        ],
        strengths: [
            "Most revenue comes from long-standing clients in the US and Europe.",
            "Its certified consultants hold a partner status that took years to earn.",
            "Annual maintenance contracts bring recurring revenue.",
        ],
    },
    Phrases {
        id: "software",
        titles: [
            "GST billing software company",
            "School ERP software company",
            "Hospital management SaaS",
        ],
        activities: [
            "sells billing, inventory and GST filing software to small traders.",
            "sells ERP software for fees, attendance and exams to schools.",
            "offers cloud software for hospital billing, pharmacy and records.",
        ],
        strengths: [
            "Thousands of customers pay for it and few leave.",
            "Its subscriptions renew every year.",
            "Its product team has shipped releases for a decade.",
        ],
    },
    Phrases {
        id: "media_advertising",
        titles: [
            "Digital marketing agency",
            "Outdoor advertising company",
            "Video production house",
        ],
        activities: [
            "runs performance marketing, social media and search campaigns for consumer brands.",
            "owns hoardings and bus-shelter media across the city.",
            "produces ad films and corporate videos for brands and agencies.",
        ],
        strengths: [
            "Its clients are on retainers and have stayed for years.",
            "It holds long municipal concessions for prime sites.",
            "It owns its cameras, lighting and editing suites.",
        ],
    },
    Phrases {
        id: "financial_services",
        titles: [
            "Gold loan company",
            "Insurance broking firm",
            "Microfinance company",
        ],
        activities: [
            "lends against gold jewellery from branches in semi-urban areas.",
            "places motor, health and commercial insurance for businesses and families.",
            "makes small loans to women borrowers through joint-liability groups.",
        ],
        strengths: [
            "It is registered with the RBI and has a clean inspection history.",
            "It holds an IRDAI licence and tie-ups with leading insurers.",
            "Delinquency is low and its funding lines are diverse.",
        ],
    },
    Phrases {
        id: "real_estate_services",
        titles: [
            "Property management company",
            "Co-working space operator",
            "Real estate brokerage",
        ],
        activities: [
            "manages housing societies and commercial buildings on annual contracts.",
            "runs co-working centres with flexible desks and private cabins.",
            "brokers the sale and lease of homes and offices.",
        ],
        strengths: [
            "Its contracts are long and its facility staff trained.",
            "Occupancy is high, mostly with enterprise clients.",
            "It is RERA registered and has a large listings database.",
        ],
    },
    Phrases {
        id: "professional_services",
        titles: [
            "Payroll and compliance outsourcing firm",
            "Engineering design consultancy",
            "Facility and manpower services company",
        ],
        activities: [
            "handles payroll, GST and statutory compliance for about 300 small businesses.",
            "provides structural and MEP design services to builders and architects.",
            "provides security, housekeeping and manpower to offices and factories.",
        ],
        strengths: [
            "Monthly retainers make its revenue predictable.",
            "It has skilled engineers and licensed design software.",
            "Its labour-law licences and statutory filings are in order.",
        ],
    },
    Phrases {
        id: "education",
        titles: [
            "CBSE school",
            "Entrance exam coaching institute",
            "Skill training centre",
        ],
        activities: [
            "runs a CBSE-affiliated school up to class XII.",
            "coaches students for engineering and medical entrance exams.",
            "trains young people in trades under government skilling schemes.",
        ],
        strengths: [
            "Enrolment is full and there is a waiting list.",
            "Strong results have made its name well known.",
            "Its centres are accredited and have placement tie-ups.",
        ],
    },
    Phrases {
        id: "healthcare",
        titles: [
            "Multi-speciality hospital",
            "Diagnostic centre",
            "Dental clinic chain",
        ],
        activities: [
            "runs a 50-bed multi-speciality hospital with an ICU and operating theatres.",
            "runs a diagnostic centre with pathology, imaging and home sample collection.",
            "runs dental clinics that follow standard treatment protocols.",
        ],
        strengths: [
            "It is empanelled with government health schemes and major insurers.",
            "Its laboratory is NABL accredited.",
            "Its doctors and nurses are experienced and stay long.",
        ],
    },
    Phrases {
        id: "recreation",
        titles: [
            "Fitness centre chain",
            "Family entertainment centre",
            "Sports academy",
        ],
        activities: [
            "runs gyms with group classes and personal training.",
            "runs an indoor entertainment centre with games, trampolines and a cafe.",
            "runs coaching academies for cricket, football and swimming.",
        ],
        strengths: [
            "Most members renew every year.",
            "It sits in a busy mall.",
            "Its coaches have played at state level.",
        ],
    },
    Phrases {
        id: "personal_services",
        titles: [
            "Salon and spa chain",
            "Laundry and dry-cleaning chain",
            "Pest control services company",
        ],
        activities: [
            "runs salons offering hair, skin and spa services.",
            "runs laundry and dry-cleaning stores with a central processing plant.",
            "provides pest control to homes, offices and warehouses.",
        ],
        strengths: [
            "Its staff are trained to a standard service menu.",
            "Its pickup-and-delivery app brings repeat customers.",
            "Annual contracts with businesses give steady revenue.",
        ],
    },
];
