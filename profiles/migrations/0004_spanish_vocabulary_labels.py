"""Spanish labels for the controlled vocabularies shipped in 0002_load_vocabularies.

Terms are found by their stable slug. A label an editor has already written in the admin is
kept; only empty Spanish labels are filled, so the migration is safe to run on any database.
"""

from django.db import migrations
from django.utils.text import slugify

SPANISH = {
    "ClusterExcellenceLabel": {
        "Cluster Management Excellence Bronze": "Excelencia en la Gestión de Clústeres – Bronce",
        "Cluster Management Excellence Silver": "Excelencia en la Gestión de Clústeres – Plata",
        "Cluster Management Excellence Gold": "Excelencia en la Gestión de Clústeres – Oro",
    },
    "CooperationActivity": {
        "Participation at missions/events/study visits/fairs": "Participación en misiones/eventos/visitas de estudio/ferias",
        "Support to collaborative activities/etc.": "Apoyo a actividades de colaboración, etc.",
        "Knowledge sharing and information exchange": "Intercambio de conocimiento e información",
        "Technology transfer": "Transferencia de tecnología",
        "R&D cooperation": "Cooperación en I+D",
        "Access to new clients and distributors": "Acceso a nuevos clientes y distribuidores",
        "B2B matchmaking events": "Encuentros empresariales B2B",
        "Formal agreements (letters of intent, MoUs)": "Acuerdos formales (cartas de intenciones, memorandos de entendimiento)",
    },
    "EmergingIndustry": {
        "Advanced Packaging": "Envases y embalajes avanzados",
        "Biopharmaceuticals": "Biofarmacia",
        "Blue Growth Industries": "Industrias del crecimiento azul",
        "Creative Industries": "Industrias creativas",
        "Digital Industries": "Industrias digitales",
        "Environmental Industries": "Industrias medioambientales",
        "Experience Industries": "Industrias de la experiencia",
        "Logistical Services": "Servicios logísticos",
        "Medical Devices": "Productos sanitarios",
        "Mobility Technologies": "Tecnologías de la movilidad",
    },
    "IndustrialEcosystem": {
        "Aerospace & defence": "Aeroespacial y defensa",
        "Agri-food": "Agroalimentario",
        "Construction": "Construcción",
        "Cultural and creative industries (CCI)": "Industrias culturales y creativas (ICC)",
        "Digital": "Digital",
        "Electronics": "Electrónica",
        "Energy-intensive industries (EII)": "Industrias de gran consumo energético (IGCE)",
        "Energy-renewables": "Energías renovables",
        "Health": "Salud",
        "Mobility-Transport-Automotive": "Movilidad, transporte y automoción",
        "Proximity, social economy and civil society": "Proximidad, economía social y sociedad civil",
        "Retail": "Comercio minorista",
        "Textiles": "Textil",
        "Tourism": "Turismo",
    },
    "S3PriorityArea": {
        "Cleaner environment & efficient energy networks (e.g. smart grids)": "Medio ambiente más limpio y redes energéticas eficientes (p. ej., redes inteligentes)",
        "Intelligent inter-modal & sustainable urban areas (e.g. smart cities)": "Zonas urbanas inteligentes, intermodales y sostenibles (p. ej., ciudades inteligentes)",
    },
    "SectoralIndustry": {
        "Aerospace Vehicles and Defense": "Vehículos aeroespaciales y defensa",
        "Agricultural Inputs and Services": "Insumos y servicios agrícolas",
        "Apparel": "Confección",
        "Automotive": "Automoción",
        "Biopharmaceuticals": "Biofarmacia",
        "Business Services": "Servicios a empresas",
        "Coal Mining": "Minería del carbón",
        "Communications Equipment and Services": "Equipos y servicios de comunicaciones",
        "Construction Products and Services": "Productos y servicios de construcción",
        "Distribution and Electronic Commerce": "Distribución y comercio electrónico",
        "Downstream Chemical Products": "Productos químicos transformados",
        "Downstream Metal Products": "Productos metálicos transformados",
        "Education and Knowledge Creation": "Educación y creación de conocimiento",
        "Electric Power Generation and Transmission": "Generación y transporte de energía eléctrica",
        "Environmental Services": "Servicios medioambientales",
        "Financial Services": "Servicios financieros",
        "Fishing and Fishing Products": "Pesca y productos pesqueros",
        "Food Processing and Manufacturing": "Transformación y fabricación de alimentos",
        "Footwear": "Calzado",
        "Forestry": "Silvicultura",
        "Furniture": "Mueble",
        "Hospitality and Tourism": "Hostelería y turismo",
        "Information Technology and Analytical Instruments": "Tecnologías de la información e instrumentos analíticos",
        "Insurance Services": "Seguros",
        "Jewelry and Precious Metals": "Joyería y metales preciosos",
        "Leather and Related Products": "Cuero y productos afines",
        "Lighting and Electrical Equipment": "Iluminación y material eléctrico",
        "Livestock Processing": "Transformación ganadera",
        "Marketing, Design, and Publishing": "Marketing, diseño y edición",
        "Medical Devices": "Productos sanitarios",
        "Metal Mining": "Minería metálica",
        "Metalworking Technology": "Tecnología metalúrgica",
        "Music and Sound Recording": "Música y grabación sonora",
        "Nonmetal Mining": "Minería no metálica",
        "Oil and Gas Production and Transportation": "Producción y transporte de petróleo y gas",
        "Paper and Packaging": "Papel y envases",
        "Performing Arts": "Artes escénicas",
        "Plastics": "Plásticos",
        "Printing Services": "Artes gráficas",
        "Production Technology and Heavy Machinery": "Tecnología de producción y maquinaria pesada",
        "Recreational and Small Electric Goods": "Artículos recreativos y pequeños aparatos eléctricos",
        "Textile Manufacturing": "Fabricación textil",
        "Tobacco": "Tabaco",
        "Trailers, Motor Homes, and Appliances": "Remolques, autocaravanas y electrodomésticos",
        "Transportation and Logistics": "Transporte y logística",
        "Upstream Chemical Products": "Productos químicos básicos",
        "Upstream Metal Manufacturing": "Fabricación de metales básicos",
        "Video Production and Distribution": "Producción y distribución audiovisual",
        "Vulcanized and Fired Materials": "Materiales vulcanizados y cocidos",
        "Water Transportation": "Transporte marítimo y fluvial",
        "Wood Products": "Productos de madera",
    },
    "SupportService": {
        "Internationalisation support (= Access to third countries markets)": "Apoyo a la internacionalización (= acceso a mercados de terceros países)",
        "Access to public support (regional/national programmes, innovation vouchers, etc.)": "Acceso a ayudas públicas (programas regionales/nacionales, bonos de innovación, etc.)",
        "Facilitation of collaboration between members": "Fomento de la colaboración entre los miembros",
        "Promotion of activities (marketing/ visibility)": "Promoción de actividades (marketing/visibilidad)",
        "Support of technology transfer": "Apoyo a la transferencia de tecnología",
        "Innovation projects": "Proyectos de innovación",
        "Networking and matchmaking": "Networking y búsqueda de socios",
        "Business / market intelligence": "Inteligencia empresarial y de mercado",
        "Improving business environment": "Mejora del entorno empresarial",
        "Human resource upgrading": "Mejora de los recursos humanos",
        "Influencing legal framework": "Influencia en el marco normativo",
    },
    "TechnologyField": {
        "Smart Appliances": "Electrodomésticos inteligentes",
        "Smart grids": "Redes inteligentes",
        "Micro- and nanoelectronics": "Micro y nanoelectrónica",
        "Nanotechnology": "Nanotecnología",
        "Photonics": "Fotónica",
        "Advanced materials": "Materiales avanzados",
        "Industrial biotechnology": "Biotecnología industrial",
        "Advanced manufacturing technologies": "Tecnologías de fabricación avanzada",
    },
}


def fill_spanish_labels(apps, schema_editor):
    for model_name, labels in SPANISH.items():
        model = apps.get_model("profiles", model_name)
        for name, name_es in labels.items():
            model.objects.filter(slug=slugify(name)[:200], name_es="").update(name_es=name_es)


def clear_spanish_labels(apps, schema_editor):
    for model_name, labels in SPANISH.items():
        model = apps.get_model("profiles", model_name)
        for name, name_es in labels.items():
            model.objects.filter(slug=slugify(name)[:200], name_es=name_es).update(name_es="")


class Migration(migrations.Migration):
    dependencies = [("profiles", "0003_cluster_search_vector")]

    operations = [migrations.RunPython(fill_spanish_labels, clear_spanish_labels)]
