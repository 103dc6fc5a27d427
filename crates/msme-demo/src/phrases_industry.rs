//! Listing words for engineering, materials, energy and construction.

use crate::profiles::Phrases;

/// Phrase banks for the second group of industries.
pub(super) const PHRASES: &[Phrases] = &[
    Phrases {
        id: "building_materials",
        titles: [
            "Fly ash brick plant",
            "Ready-mix concrete plant",
            "Ceramic tiles manufacturer",
        ],
        activities: [
            "makes fly ash bricks and paver blocks for builders and government projects.",
            "supplies ready-mix concrete to builders from two batching plants.",
            "makes ceramic wall and floor tiles sold through dealers in five states.",
        ],
        strengths: [
            "It has secured fly ash supply from a nearby thermal power station.",
            "Its own fleet of transit mixers covers the city and its outskirts.",
            "Its dealer network has over 120 outlets.",
        ],
    },
    Phrases {
        id: "steel_metals",
        titles: [
            "Steel fabrication and structural works",
            "Aluminium extrusion unit",
            "Brass components manufacturer",
        ],
        activities: [
            "fabricates steel structures for warehouses, factories and towers.",
            "extrudes aluminium profiles for windows, solar frames and industry.",
            "makes turned brass components and fittings for electrical and plumbing use.",
        ],
        strengths: [
            "It is an approved vendor of large EPC contractors.",
            "Its own die shop keeps turnaround times short.",
            "It exports a third of its output and has a steady order book.",
        ],
    },
    Phrases {
        id: "machinery",
        titles: [
            "Precision CNC machining unit",
            "Hydraulic press manufacturer",
            "Food processing machinery maker",
        ],
        activities: [
            "runs a CNC job shop machining components for auto and pump OEMs.",
            "designs and builds hydraulic presses and special-purpose machines.",
            "makes food processing machinery such as mixers, dryers and fryers.",
        ],
        strengths: [
            "It runs ten CNC turning and milling centres and a quality lab.",
            "Its design team holds several registered designs.",
            "Its machines run at over 300 customer sites, which brings service revenue.",
        ],
    },
    Phrases {
        id: "electrical_equipment",
        titles: [
            "Switchgear and control panel maker",
            "Distribution transformer manufacturer",
            "Cables and wires manufacturer",
        ],
        activities: [
            "builds LT switchgear and control panels for industrial and infrastructure projects.",
            "makes distribution transformers for state utilities and industrial buyers.",
            "makes house wires and power cables sold under its own brand.",
        ],
        strengths: [
            "Its order book covers the next eight months.",
            "Its designs are type-tested and approved by state electricity boards.",
            "Its products are BIS certified and sold through dealers across the region.",
        ],
    },
    Phrases {
        id: "electronics",
        titles: [
            "LED lighting manufacturer",
            "PCB assembly unit",
            "CCTV and security systems assembler",
        ],
        activities: [
            "designs and assembles LED lights for retail, street lighting and OEM customers.",
            "assembles printed circuit boards on SMT lines for electronics brands.",
            "assembles CCTV cameras and access-control devices for system integrators.",
        ],
        strengths: [
            "Its current capacity qualifies for production-linked incentives.",
            "It runs two SMT lines with automated optical inspection.",
            "It has its own design team and firmware.",
        ],
    },
    Phrases {
        id: "auto_components",
        titles: [
            "Auto components forging unit",
            "Sheet metal pressings supplier",
            "Two-wheeler parts manufacturer",
        ],
        activities: [
            "forges and machines crankshaft and axle parts for tier-1 suppliers.",
            "makes sheet metal pressings and welded assemblies for car makers.",
            "makes brake and clutch parts for two-wheeler makers and the aftermarket.",
        ],
        strengths: [
            "It is IATF 16949 certified and its parts are PPAP approved.",
            "Its part numbers are approved with two vehicle makers.",
            "Its aftermarket brand is growing through distributors.",
        ],
    },
    Phrases {
        id: "renewable_energy",
        titles: [
            "Rooftop solar EPC company",
            "Solar power plant with long-term PPA",
            "Biomass briquette plant",
        ],
        activities: [
            "designs and installs rooftop solar systems for factories and housing societies.",
            "owns a ground-mounted solar plant that sells power under a long-term agreement.",
            "makes biomass briquettes and pellets for industrial boilers.",
        ],
        strengths: [
            "It is empanelled with the state nodal agency for subsidised installations.",
            "Its revenue is contracted with a creditworthy offtaker.",
            "Demand is steady from industries moving off coal.",
        ],
    },
    Phrases {
        id: "waste_management",
        titles: [
            "Plastic recycling plant",
            "E-waste recycling facility",
            "Effluent treatment contractor",
        ],
        activities: [
            "recycles post-consumer plastic into granules for moulders.",
            "collects and dismantles e-waste under authorisation from the pollution board.",
            "designs, builds and operates effluent treatment plants for industries.",
        ],
        strengths: [
            "It is a registered recycler under the extended producer responsibility rules.",
            "Its authorisations are hard for new entrants to obtain.",
            "Annual operation contracts bring recurring revenue.",
        ],
    },
    Phrases {
        id: "construction",
        titles: [
            "Civil construction contractor",
            "Interior fit-out contractor",
            "Road construction company",
        ],
        activities: [
            "builds factories, warehouses and commercial buildings as a civil contractor.",
            "delivers turnkey interior fit-outs for offices and retail stores.",
            "builds and maintains roads for the public works department and municipalities.",
        ],
        strengths: [
            "It is registered as a class-I contractor with a strong completion record.",
            "Corporate clients come back with repeat work.",
            "It has an experienced site team and its own equipment fleet.",
        ],
    },
    Phrases {
        id: "healthcare_products",
        titles: [
            "Surgical disposables manufacturer",
            "Orthopaedic implants maker",
            "Hospital equipment manufacturer",
        ],
        activities: [
            "makes syringes, catheters and other surgical disposables.",
            "makes orthopaedic implants and instruments for hospitals and distributors.",
            "makes patient monitors, hospital beds and ward furniture.",
        ],
        strengths: [
            "It holds CDSCO licences and ISO 13485 certification.",
            "Its products are registered in several export markets.",
            "It has rate contracts with government hospitals.",
        ],
    },
];
