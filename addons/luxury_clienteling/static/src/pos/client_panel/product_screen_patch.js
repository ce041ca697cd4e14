import { ProductScreen } from "@point_of_sale/app/screens/product_screen/product_screen";
import { ClientPanel } from "@luxury_clienteling/pos/client_panel/client_panel";

ProductScreen.components = { ...ProductScreen.components, ClientPanel };
