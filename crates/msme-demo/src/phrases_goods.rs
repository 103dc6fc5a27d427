//! Listing words for farming, food, consumer goods and process industries.

use crate::profiles::Phrases;

/// Phrase banks for the first group of industries.
pub(super) const PHRASES: &[Phrases] = &[
    Phrases {
        id: "agriculture",
        titles: [
            "Farm produce aggregator",
            "Cold-chain horticulture pack house",
            "Poultry and dairy farm",
        ],
        activities: [
            "aggregates fruit and vegetables from about 400 contract farmers and supplies modern-trade chains.",
            "runs a pack house with grading, sorting and ripening chambers for bananas and mangoes.",
            "operates a layer poultry farm and a small dairy with its own milk collection routes.",
        ],
        strengths: [
            "It has long-term offtake arrangements with two national retail chains.",
            "It owns the land under its sheds and holds all pollution-board consents.",
            "Its own feed mill and veterinary tie-ups keep costs and losses low.",
        ],
    },
    Phrases {
        id: "food_processing",
        titles: [
            "Spice grinding and packing unit",
            "Namkeen and snacks manufacturer",
            "Rice milling and sorting plant",
        ],
        activities: [
            "grinds, blends and packs masalas under its own brand and for private labels.",
            "makes traditional namkeen and bakery snacks sold through about 600 retail outlets.",
            "mills and sorts non-basmati rice for wholesale buyers across the state.",
        ],
        strengths: [
            "It holds an FSSAI central licence and has a clean food-safety audit history.",
            "Its brand is well known in the regional market and orders repeat steadily.",
            "Automated packing lines leave room to double output without new land.",
        ],
    },
    Phrases {
        id: "beverages",
        titles: [
            "Packaged drinking water plant",
            "Fruit pulp processing unit",
            "Soda and jeera drinks bottling plant",
        ],
        activities: [
            "bottles packaged drinking water in 20-litre jars and retail bottles.",
            "processes mango and guava pulp for beverage companies and exporters.",
            "bottles flavoured soda and jeera drinks for the regional market.",
        ],
        strengths: [
            "It holds BIS certification and runs a delivery fleet covering the district.",
            "Seasonal capacity is booked in advance by repeat buyers.",
            "Returnable glass bottles keep packaging costs low.",
        ],
    },
    Phrases {
        id: "textiles_apparel",
        titles: [
            "Knitted garments export unit",
            "Powerloom weaving unit",
            "Ethnic wear manufacturer",
        ],
        activities: [
            "makes knitted T-shirts and innerwear for export buyers in Europe.",
            "runs powerlooms producing grey fabric for processors and traders.",
            "designs and stitches ethnic wear sold through marketplaces and boutiques.",
        ],
        strengths: [
            "It has cleared social-compliance audits for two global brands.",
            "Its looms were modernised in the last five years under a state subsidy scheme.",
            "An in-house design team launches new collections every season.",
        ],
    },
    Phrases {
        id: "leather_footwear",
        titles: [
            "Leather footwear manufacturer",
            "Finished leather tannery",
            "Leather bags and accessories unit",
        ],
        activities: [
            "makes leather and synthetic footwear for domestic brands.",
            "tans and finishes hides into leather for shoe and garment makers.",
            "makes leather bags, belts and wallets for export and retail.",
        ],
        strengths: [
            "Its skilled artisans stay for years and are led by trained supervisors.",
            "It is connected to the common effluent treatment plant and holds valid consents.",
            "Buyers in Europe and the Middle East place repeat export orders.",
        ],
    },
    Phrases {
        id: "furniture",
        titles: [
            "Modular furniture factory",
            "Solid wood furniture workshop",
            "Office seating manufacturer",
        ],
        activities: [
            "makes modular kitchens and wardrobes on CNC panel-processing lines.",
            "crafts solid sheesham and mango wood furniture for retail and export.",
            "assembles office chairs and workstations for corporate and government buyers.",
        ],
        strengths: [
            "It owns imported edge-banding and boring machines.",
            "Its showroom and online store bring in retail orders at good margins.",
            "It is a registered vendor on GeM and with several corporate procurement teams.",
        ],
    },
    Phrases {
        id: "paper_printing",
        titles: [
            "Offset printing press",
            "Kraft paper converting unit",
            "Paper cup and plate manufacturer",
        ],
        activities: [
            "prints books, catalogues and cartons on four-colour offset presses.",
            "converts kraft paper into sacks, bags and industrial wrapping.",
            "makes paper cups, plates and food containers for quick-service restaurants.",
        ],
        strengths: [
            "It has long-standing print contracts with publishers and schools.",
            "Its machinery is largely paid for and well maintained.",
            "Demand has grown since single-use plastics were banned.",
        ],
    },
    Phrases {
        id: "chemicals",
        titles: [
            "Specialty chemicals manufacturer",
            "Textile auxiliaries plant",
            "Industrial adhesives maker",
        ],
        activities: [
            "makes specialty intermediates for the dye and pigment industry.",
            "produces textile auxiliaries and finishing chemicals for processing houses.",
            "formulates industrial adhesives and sealants for packaging and woodworking.",
        ],
        strengths: [
            "It holds environmental clearance with room to expand capacity.",
            "A small R&D lab with two chemists keeps the product range current.",
            "It supplies blue-chip customers as an approved vendor.",
        ],
    },
    Phrases {
        id: "pharmaceuticals",
        titles: [
            "WHO-GMP formulation plant",
            "API intermediates manufacturer",
            "Ayurvedic medicines manufacturer",
        ],
        activities: [
            "makes tablets, capsules and syrups on contract for pharma marketing companies.",
            "produces bulk drug intermediates for larger API makers.",
            "makes classical Ayurvedic formulations and herbal supplements under its own brand.",
        ],
        strengths: [
            "It is WHO-GMP certified with a clean inspection record.",
            "Its customers have qualified its processes, which makes it hard to replace.",
            "It holds over 150 product licences from the state AYUSH authority.",
        ],
    },
    Phrases {
        id: "plastics_packaging",
        titles: [
            "Flexible packaging converter",
            "Injection moulding unit",
            "PET preform and bottle maker",
        ],
        activities: [
            "prints and laminates flexible packaging for food and FMCG brands.",
            "moulds plastic components for appliance and automotive makers.",
            "makes PET preforms and bottles for water and edible-oil packers.",
        ],
        strengths: [
            "Its rotogravure press and laminators were bought in the last four years.",
            "It runs 25 moulding machines of 80 to 450 tonnes and its own tool room.",
            "It supplies several national FMCG brands.",
        ],
    },
    Phrases {
        id: "rubber_products",
        titles: [
            "Rubber moulded components unit",
            "Conveyor belt manufacturer",
            "Rubber hose and gasket maker",
        ],
        activities: [
            "makes moulded rubber parts and seals for automotive and pump makers.",
            "manufactures conveyor belts for mines, cement plants and ports.",
            "makes rubber hoses, gaskets and O-rings for industrial customers.",
        ],
        strengths: [
            "It is IATF 16949 certified and mixes its own compounds in-house.",
            "It holds vendor approvals from several public-sector undertakings.",
            "The company owns its compound recipes and tooling.",
        ],
    },
];
